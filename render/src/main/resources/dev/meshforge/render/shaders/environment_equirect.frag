#version 330 core
// Renders one face of the source cube map from an equirectangular HDR image (+Y up, the image's centre column
// looking toward -Z, as most panoramas are made), reading a mip level that matches the face's texel size.
#include "common.glsl"
#include "cubemap_face.glsl"
uniform sampler2D uPanorama;
uniform float uPanoramaLod;
out vec4 fragColor;

void main() {
    vec3 d = cubeDirection(gl_FragCoord.xy);
    vec2 uv = vec2(atan(d.x, -d.z) / (2.0 * PI) + 0.5, acos(clamp(d.y, -1.0, 1.0)) / PI);
    fragColor = vec4(textureLod(uPanorama, uv, uPanoramaLod).rgb, 1.0);
}
