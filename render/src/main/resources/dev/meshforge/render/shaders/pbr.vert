#version 330 core
// Places a primitive's vertices: world position, normal by the inverse transpose, both UV sets, vertex colour.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec2 aUv0;
layout(location = 3) in vec2 aUv1;
layout(location = 4) in vec4 aColor;
uniform mat4 uModel;
uniform mat3 uNormalMatrix;
uniform mat4 uViewProjection;
uniform float uPointSize;
out vec3 vWorldPos;
out vec3 vNormal;
out vec2 vUv0;
out vec2 vUv1;
out vec4 vColor;

void main() {
    vec4 world = uModel * vec4(aPosition, 1.0);
    vWorldPos = world.xyz;
    vNormal = uNormalMatrix * aNormal;
    vUv0 = aUv0;
    vUv1 = aUv1;
    vColor = aColor;
    gl_PointSize = uPointSize;
    gl_Position = uViewProjection * world;
}
