// Tone curves from scene-linear to display-linear: Khronos PBR Neutral and ACES (Narkowicz's fit).
uniform int uToneMapping; // 0 PBR Neutral, 1 ACES, 2 none

vec3 toneMapPbrNeutral(vec3 color) {
    const float startCompression = 0.8 - 0.04;
    const float desaturation = 0.15;
    float x = min(color.r, min(color.g, color.b));
    float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
    color -= offset;
    float peak = max(color.r, max(color.g, color.b));
    if (peak < startCompression) return color;
    const float d = 1.0 - startCompression;
    float newPeak = 1.0 - d * d / (peak + d - startCompression);
    color *= newPeak / peak;
    float g = 1.0 - 1.0 / (desaturation * (peak - newPeak) + 1.0);
    return mix(color, vec3(newPeak), g);
}

vec3 toneMapAces(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

vec3 toneMap(vec3 color) {
    if (uToneMapping == 0) return toneMapPbrNeutral(color);
    if (uToneMapping == 1) return toneMapAces(color);
    return clamp(color, 0.0, 1.0);
}
