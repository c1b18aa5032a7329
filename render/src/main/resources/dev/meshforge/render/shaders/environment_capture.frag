#version 330 core
// Renders the studio environment into one face of the source cube map.
#include "common.glsl"
#include "cubemap_face.glsl"
#include "studio_environment.glsl"
out vec4 fragColor;

void main() {
    fragColor = vec4(studioRadiance(cubeDirection(gl_FragCoord.xy)), 1.0);
}
