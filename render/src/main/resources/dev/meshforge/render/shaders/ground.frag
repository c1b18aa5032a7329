#version 330 core
// The contact shadow on the ground: black with the precomputed occlusion as alpha, so it sits on any background.
uniform sampler2D uOcclusion;
uniform float uOpacity;
in vec2 vShadowUv;
out vec4 fragColor;

void main() {
    fragColor = vec4(0.0, 0.0, 0.0, uOpacity * texture(uOcclusion, vShadowUv).r);
}
