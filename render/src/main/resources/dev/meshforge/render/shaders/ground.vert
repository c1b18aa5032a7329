#version 330 core
// The ground rectangle under the model; its corners come from uniforms, no vertex buffer needed.
uniform vec3 uCorner[4];
uniform mat4 uViewProjection;
out vec2 vShadowUv;

void main() {
    int i = gl_VertexID == 3 ? 2 : (gl_VertexID == 4 ? 3 : (gl_VertexID == 5 ? 0 : gl_VertexID));
    vec2 uv[4] = vec2[4](vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(1.0, 1.0), vec2(0.0, 1.0));
    vShadowUv = uv[i];
    gl_Position = uViewProjection * vec4(uCorner[i], 1.0);
}
