#version 330 core
// A contact shadow: the ground darkens under surfaces close above it, fading with their height, softened by a
// disc of taps; it draws only shadow (black with coverage alpha), so it works on any background.
uniform sampler2D uHeight;   // depth from the ground upward: 0 at the ground, 1 at the top of the model
uniform float uHeightRange;  // world height that depth 1 stands for
uniform float uFalloff;      // world height at which a surface no longer shadows
uniform float uTapRadius;    // in shadow-map UV
uniform float uOpacity;
in vec2 vShadowUv;
out vec4 fragColor;

const int TAPS = 16;

void main() {
    float occlusion = 0.0;
    for (int i = 0; i < TAPS; i++) {
        // A golden-angle spiral fills the disc evenly with few taps.
        float r = sqrt((float(i) + 0.5) / float(TAPS));
        float a = float(i) * 2.39996323;
        vec2 uv = vShadowUv + uTapRadius * r * vec2(cos(a), sin(a));
        float depth = texture(uHeight, uv).r;
        if (depth < 1.0) {
            float h = depth * uHeightRange;
            occlusion += 1.0 - smoothstep(0.0, uFalloff, h);
        }
    }
    occlusion /= float(TAPS);
    vec2 edge = min(vShadowUv, 1.0 - vShadowUv);
    float fade = smoothstep(0.0, 0.12, min(edge.x, edge.y));
    fragColor = vec4(0.0, 0.0, 0.0, uOpacity * occlusion * fade);
}
