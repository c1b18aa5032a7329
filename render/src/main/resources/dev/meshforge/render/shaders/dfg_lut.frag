#version 330 core
// The split-sum BRDF lookup table (DFG): for (n.v, perceptual roughness), the scale and bias applied to F0 by the
// specular integral of GGX with Smith visibility, x = integral of (1 - Fc) and y = integral of Fc, Fc = (1-v.h)^5.
#include "common.glsl"
#include "brdf.glsl"
uniform float uLutSize;
uniform uint uSamples;
out vec4 fragColor;

void main() {
    float nDotV = gl_FragCoord.x / uLutSize;
    float roughness = gl_FragCoord.y / uLutSize;
    float alpha = roughness * roughness;
    vec3 v = vec3(sqrt(1.0 - nDotV * nDotV), 0.0, nDotV);
    vec3 n = vec3(0.0, 0.0, 1.0);
    float a = 0.0;
    float b = 0.0;
    for (uint i = 0u; i < uSamples; i++) {
        vec3 h = importanceSampleGgx(hammersley(i, uSamples), n, alpha);
        vec3 l = normalize(2.0 * dot(v, h) * h - v);
        float nDotL = clamp(l.z, 0.0, 1.0);
        float nDotH = clamp(h.z, 0.0, 1.0);
        float vDotH = clamp(dot(v, h), 0.0, 1.0);
        if (nDotL > 0.0) {
            // BRDF cos / pdf with pdf = D (n.h) / (4 v.h): the D cancels.
            float weight = visibilitySmithGgxCorrelated(nDotV, nDotL, alpha) * nDotL * 4.0 * vDotH / max(nDotH, 1e-6);
            float fc = pow(1.0 - vDotH, 5.0);
            a += (1.0 - fc) * weight;
            b += fc * weight;
        }
    }
    fragColor = vec4(a / float(uSamples), b / float(uSamples), 0.0, 1.0);
}
