#version 330 core
// From premultiplied scene-linear radiance to 8-bit sRGB with straight alpha: exposure, tone curve, then over a
// solid background in display-linear space (so the background keeps its exact colour), then sRGB encoding.
#include "common.glsl"
#include "tonemapping.glsl"
uniform sampler2D uHdr;
uniform float uExposure;
uniform bool uSolidBackground;
uniform vec3 uBackgroundLinear;
out vec4 fragColor;

void main() {
    vec4 hdr = texelFetch(uHdr, ivec2(gl_FragCoord.xy), 0);
    float a = clamp(hdr.a, 0.0, 1.0);
    vec3 straight = a > 0.0 ? hdr.rgb / a : vec3(0.0);
    vec3 display = toneMap(max(straight, 0.0) * uExposure);
    if (uSolidBackground) {
        fragColor = vec4(linearToSrgb(display * a + uBackgroundLinear * (1.0 - a)), 1.0);
    } else {
        fragColor = vec4(linearToSrgb(display), a);
    }
}
