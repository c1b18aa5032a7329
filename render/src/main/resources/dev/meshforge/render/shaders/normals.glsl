// The shading normal: the interpolated vertex normal, or the face's own where the mesh has none (glTF asks for
// flat shading then), flipped toward the viewer on back faces, perturbed by a normal map through a tangent frame
// built from screen-space derivatives of position and UV, so that no precomputed tangents are needed.
uniform bool uHasNormals;
in vec3 vNormal;

vec3 shadingNormal(vec3 worldPos, vec2 uv, bool hasNormalMap, vec3 mapped) {
    vec3 dpx = dFdx(worldPos);
    vec3 dpy = dFdy(worldPos);
    vec3 faceNormal = normalize(cross(dpx, dpy));
    // The derivative cross product faces the viewer whatever the winding, so only file normals need the flip.
    vec3 n = faceNormal;
    if (uHasNormals && dot(vNormal, vNormal) > 1e-12) {
        n = normalize(vNormal);
        if (!gl_FrontFacing) n = -n;
    }
    if (!hasNormalMap) return n;
    vec2 duvx = dFdx(uv);
    vec2 duvy = dFdy(uv);
    vec3 dpyPerp = cross(dpy, n);
    vec3 dpxPerp = cross(n, dpx);
    vec3 t = dpyPerp * duvx.x + dpxPerp * duvy.x;
    vec3 b = dpyPerp * duvx.y + dpxPerp * duvy.y;
    float scale = inversesqrt(max(max(dot(t, t), dot(b, b)), 1e-20));
    // t and b run along increasing u and v; glTF's tangent-space +Y points up the image, toward decreasing v.
    vec3 p = mat3(t * scale, -b * scale, n) * mapped;
    return dot(p, p) > 1e-12 ? normalize(p) : n;
}
