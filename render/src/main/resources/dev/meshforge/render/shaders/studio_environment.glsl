// The procedural studio: a graded surround (bright above, dark floor) and rectangular softboxes with soft edges.
// Directions are in the environment's frame: +Y up, the front camera on +Z.
const int MAX_BOXES = 6;
uniform vec3 uSkyTop;
uniform vec3 uSkyHorizon;
uniform vec3 uFloor;
uniform int uBoxCount;
uniform vec3 uBoxCenter[MAX_BOXES];
uniform vec3 uBoxRight[MAX_BOXES];
uniform vec3 uBoxUp[MAX_BOXES];
uniform vec2 uBoxHalfSize[MAX_BOXES];
uniform vec3 uBoxRadiance[MAX_BOXES];

vec3 studioRadiance(vec3 d) {
    vec3 c = d.y >= 0.0 ? mix(uSkyHorizon, uSkyTop, sqrt(d.y))
                        : mix(uSkyHorizon, uFloor, smoothstep(0.0, 0.25, -d.y));
    for (int i = 0; i < uBoxCount; i++) {
        float facing = dot(d, uBoxCenter[i]);
        if (facing <= 0.0) continue;
        // Where the ray meets the box's plane, in units of the plane's distance.
        vec3 p = d / facing - uBoxCenter[i];
        vec2 q = abs(vec2(dot(p, uBoxRight[i]), dot(p, uBoxUp[i]))) / uBoxHalfSize[i];
        float edge = (1.0 - smoothstep(0.85, 1.0, q.x)) * (1.0 - smoothstep(0.85, 1.0, q.y));
        c += uBoxRadiance[i] * edge;
    }
    return c;
}
