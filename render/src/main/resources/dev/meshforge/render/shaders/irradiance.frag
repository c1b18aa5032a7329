#version 330 core
// The diffuse irradiance cube map, divided by pi: the cosine-weighted mean radiance over the hemisphere around n,
// so that a Lambertian surface of albedo a reflects a times this value.
#include "common.glsl"
#include "brdf.glsl"
#include "cubemap_face.glsl"
uniform samplerCube uSource;
uniform float uSourceSize;
uniform uint uSamples;
out vec4 fragColor;

void main() {
    vec3 n = cubeDirection(gl_FragCoord.xy);
    vec3 up = abs(n.z) < 0.999 ? vec3(0.0, 0.0, 1.0) : vec3(1.0, 0.0, 0.0);
    vec3 tx = normalize(cross(up, n));
    vec3 ty = cross(n, tx);
    float texelSolidAngle = 4.0 * PI / (6.0 * uSourceSize * uSourceSize);
    vec3 sum = vec3(0.0);
    for (uint i = 0u; i < uSamples; i++) {
        vec2 xi = hammersley(i, uSamples);
        // Cosine-weighted direction: pdf = cos / pi, so the plain mean of the samples is the integral over pi.
        float phi = 2.0 * PI * xi.x;
        float cosTheta = sqrt(1.0 - xi.y);
        float sinTheta = sqrt(xi.y);
        vec3 l = tx * (sinTheta * cos(phi)) + ty * (sinTheta * sin(phi)) + n * cosTheta;
        float pdf = cosTheta / PI;
        float lod = max(0.5 * log2(1.0 / (float(uSamples) * pdf + 1e-6) / texelSolidAngle) + 1.0, 0.0);
        sum += textureLod(uSource, l, lod).rgb;
    }
    fragColor = vec4(sum / float(uSamples), 1.0);
}
