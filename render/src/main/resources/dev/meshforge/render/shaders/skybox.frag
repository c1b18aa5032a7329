#version 330 core
// The environment behind the model, for the environment background: the source cube map seen through the camera.
uniform samplerCube uSource;
uniform mat4 uInverseViewProjection;
uniform mat3 uEnvironmentFromWorld;
in vec2 vNdc;
out vec4 fragColor;

void main() {
    vec4 near = uInverseViewProjection * vec4(vNdc, -1.0, 1.0);
    vec4 far = uInverseViewProjection * vec4(vNdc, 1.0, 1.0);
    vec3 dir = normalize(far.xyz / far.w - near.xyz / near.w);
    fragColor = vec4(textureLod(uSource, uEnvironmentFromWorld * dir, 0.0).rgb, 1.0);
}
