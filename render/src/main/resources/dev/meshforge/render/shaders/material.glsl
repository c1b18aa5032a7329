// glTF metallic-roughness material inputs: factors times textures, each texture with its UV set and transform.
uniform vec4 uBaseColorFactor;
uniform float uMetallicFactor;
uniform float uRoughnessFactor;
uniform vec3 uEmissiveFactor;
uniform float uNormalScale;
uniform float uOcclusionStrength;
uniform float uAlphaCutoff;
uniform int uAlphaMode; // 0 opaque, 1 mask, 2 blend
uniform bool uUnlit;

uniform sampler2D uBaseColorTexture;
uniform sampler2D uMetallicRoughnessTexture;
uniform sampler2D uNormalTexture;
uniform sampler2D uOcclusionTexture;
uniform sampler2D uEmissiveTexture;
// Per slot (base colour, metallic-roughness, normal, occlusion, emissive): used or not, UV set, UV transform.
uniform bool uHasTexture[5];
uniform int uTexCoord[5];
uniform mat3 uUvTransform[5];

in vec2 vUv0;
in vec2 vUv1;

vec2 slotUv(int slot) {
    vec2 uv = uTexCoord[slot] == 1 ? vUv1 : vUv0;
    return (uUvTransform[slot] * vec3(uv, 1.0)).xy;
}

vec4 baseColor(vec4 vertexColor) {
    vec4 c = uBaseColorFactor * vertexColor;
    if (uHasTexture[0]) c *= texture(uBaseColorTexture, slotUv(0));
    return c;
}

// Metallic in x, perceptual roughness in y (glTF stores them in B and G).
vec2 metallicRoughness() {
    vec2 mr = vec2(uMetallicFactor, uRoughnessFactor);
    if (uHasTexture[1]) mr *= texture(uMetallicRoughnessTexture, slotUv(1)).bg;
    return clamp(mr, vec2(0.0, 0.03), vec2(1.0));
}

float occlusion() {
    if (!uHasTexture[3]) return 1.0;
    return 1.0 + uOcclusionStrength * (texture(uOcclusionTexture, slotUv(3)).r - 1.0);
}

vec3 emissive() {
    vec3 e = uEmissiveFactor;
    if (uHasTexture[4]) e *= texture(uEmissiveTexture, slotUv(4)).rgb;
    return e;
}
