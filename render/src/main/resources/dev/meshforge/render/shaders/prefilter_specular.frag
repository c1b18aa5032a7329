#version 330 core
// One mip level of the prefiltered specular cube map: the environment convolved with GGX at this level's
// roughness (split-sum's first factor, n = v = r), by importance sampling that reads coarser source mips for
// rarer samples (filtered importance sampling) so that few samples leave no fireflies.
#include "common.glsl"
#include "brdf.glsl"
#include "cubemap_face.glsl"
uniform samplerCube uSource;
uniform float uRoughness;
uniform float uSourceSize;
uniform uint uSamples;
out vec4 fragColor;

void main() {
    vec3 n = cubeDirection(gl_FragCoord.xy);
    if (uRoughness == 0.0) {
        fragColor = vec4(textureLod(uSource, n, 0.0).rgb, 1.0);
        return;
    }
    float alpha = uRoughness * uRoughness;
    float texelSolidAngle = 4.0 * PI / (6.0 * uSourceSize * uSourceSize);
    vec3 sum = vec3(0.0);
    float weight = 0.0;
    for (uint i = 0u; i < uSamples; i++) {
        vec3 h = importanceSampleGgx(hammersley(i, uSamples), n, alpha);
        vec3 l = normalize(2.0 * dot(n, h) * h - n);
        float nDotL = dot(n, l);
        if (nDotL > 0.0) {
            float nDotH = max(dot(n, h), 0.0);
            float pdf = distributionGgx(nDotH, alpha) * 0.25; // D (n.h) / (4 v.h) with v = n
            float sampleSolidAngle = 1.0 / (float(uSamples) * pdf + 1e-6);
            float lod = max(0.5 * log2(sampleSolidAngle / texelSolidAngle) + 1.0, 0.0);
            sum += textureLod(uSource, l, lod).rgb * nDotL;
            weight += nDotL;
        }
    }
    fragColor = vec4(sum / max(weight, 1e-6), 1.0);
}
