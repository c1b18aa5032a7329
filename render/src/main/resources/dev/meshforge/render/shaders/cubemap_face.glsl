// The direction of a texel of a cube face being rendered, from the fragment position (OpenGL's face layout).
uniform int uFace;
uniform float uFaceSize;

vec3 cubeDirection(vec2 fragCoord) {
    vec2 st = fragCoord / uFaceSize * 2.0 - 1.0;
    float s = st.x;
    float t = st.y;
    vec3 d;
    if (uFace == 0) d = vec3(1.0, -t, -s);
    else if (uFace == 1) d = vec3(-1.0, -t, s);
    else if (uFace == 2) d = vec3(s, 1.0, t);
    else if (uFace == 3) d = vec3(s, -1.0, -t);
    else if (uFace == 4) d = vec3(s, -t, 1.0);
    else d = vec3(-s, -t, -1.0);
    return normalize(d);
}
