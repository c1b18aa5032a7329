#version 330 core
// The model seen from the ground plane looking up, orthographically: depth is height above the ground.
layout(location = 0) in vec3 aPosition;
uniform mat4 uModel;
uniform mat4 uViewProjection;

void main() {
    gl_Position = uViewProjection * (uModel * vec4(aPosition, 1.0));
}
