#version 330 core
// The contact shadow's darkness over the ground rectangle, computed once per scene: the ground darkens under
// surfaces close above it, fading with their height, softened by a disc of taps and faded toward the edges.
uniform sampler2D uHeight;   // depth from the ground upward: 0 at the ground, 1 at the top of the model
uniform float uHeightRange;  // world height that depth 1 stands for
uniform float uFalloff;      // world height at which a surface no longer shadows
uniform float uTapRadius;    // in shadow-map UV
uniform float uSize;         // texels a side of this map
out vec4 fragColor;

const int TAPS = 24;

void main() {
    vec2 uv0 = gl_FragCoord.xy / uSize;
    float occlusion = 0.0;
    for (int i = 0; i < TAPS; i++) {
        // A golden-angle spiral fills the disc evenly with few taps.
        float r = sqrt((float(i) + 0.5) / float(TAPS));
        float a = float(i) * 2.39996323;
        float depth = texture(uHeight, uv0 + uTapRadius * r * vec2(cos(a), sin(a))).r;
        if (depth < 1.0) {
            occlusion += 1.0 - smoothstep(0.0, uFalloff, depth * uHeightRange);
        }
    }
    vec2 edge = min(uv0, 1.0 - uv0);
    fragColor = vec4(occlusion / float(TAPS) * smoothstep(0.0, 0.12, min(edge.x, edge.y)), 0.0, 0.0, 1.0);
}
