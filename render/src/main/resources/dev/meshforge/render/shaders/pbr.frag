#version 330 core
// Shades one fragment of a glTF material under the studio's image-based lighting. Writes scene-linear radiance,
// premultiplied by coverage alpha, for the resolve pass to expose, tone map and encode.
#include "common.glsl"
#include "brdf.glsl"
#include "material.glsl"
#include "normals.glsl"
#include "ibl.glsl"
uniform vec3 uEye;
uniform bool uFacesViewer; // points and lines: no surface, lit as if they faced the camera
in vec3 vWorldPos;
in vec4 vColor;
out vec4 fragColor;

void main() {
    vec4 base = baseColor(vColor);
    float alpha = base.a;
    if (uAlphaMode == 1) {
        if (alpha < uAlphaCutoff) discard;
        alpha = 1.0;
    } else if (uAlphaMode == 0) {
        alpha = 1.0;
    }
    vec3 color;
    if (uUnlit) {
        color = base.rgb;
    } else {
        vec3 v = normalize(uEye - vWorldPos);
        vec3 mapped = vec3(0.0, 0.0, 1.0);
        if (uHasTexture[2]) {
            mapped = (texture(uNormalTexture, slotUv(2)).rgb * 2.0 - 1.0) * vec3(uNormalScale, uNormalScale, 1.0);
        }
        vec3 n = uFacesViewer ? v : shadingNormal(vWorldPos, slotUv(2), uHasTexture[2], mapped);
        vec2 mr = metallicRoughness();
        color = iblLighting(n, v, base.rgb, mr.x, mr.y, 0.04) * occlusion() + emissive();
    }
    fragColor = vec4(color * alpha, alpha);
}
