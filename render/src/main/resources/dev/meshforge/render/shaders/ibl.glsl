// Image-based lighting by the split sum: prefiltered radiance times the DFG table's scale and bias, with
// Fdez-Aguera's multiple-scattering term so that rough metals keep their energy (the white furnace stays white).
uniform samplerCube uPrefiltered;
uniform samplerCube uIrradiance;
uniform sampler2D uDfg;
uniform float uPrefilteredMaxLod;
uniform mat3 uEnvironmentFromWorld;

// Specular and multiple-scattering weights for one F0: out single = FssEss, out multi = Fms * Ems.
void splitSum(vec3 f0, float roughness, float nDotV, vec2 dfg, out vec3 single, out vec3 multi) {
    vec3 fr = max(vec3(1.0 - roughness), f0) - f0;
    vec3 ks = f0 + fr * pow(1.0 - nDotV, 5.0);
    single = ks * dfg.x + dfg.y;
    float ess = dfg.x + dfg.y;
    float ems = 1.0 - ess;
    vec3 favg = f0 + (1.0 - f0) / 21.0;
    multi = single * favg / (1.0 - ems * favg) * ems;
}

// glTF's mix of the dielectric and the metal BRDF (not one BRDF with a mixed F0, which loses energy in between).
vec3 iblLighting(vec3 n, vec3 v, vec3 baseColor, float metallic, float roughness, float specularF0) {
    float nDotV = clamp(dot(n, v), 1e-4, 1.0);
    vec2 dfg = texture(uDfg, vec2(nDotV, roughness)).rg;
    vec3 r = reflect(-v, n);
    vec3 radiance = textureLod(uPrefiltered, uEnvironmentFromWorld * r, roughness * uPrefilteredMaxLod).rgb;
    vec3 irradiance = texture(uIrradiance, uEnvironmentFromWorld * n).rgb;

    vec3 dielectricSingle;
    vec3 dielectricMulti;
    splitSum(vec3(specularF0), roughness, nDotV, dfg, dielectricSingle, dielectricMulti);
    vec3 dielectric = dielectricSingle * radiance + dielectricMulti * irradiance
            + baseColor * (1.0 - dielectricSingle - dielectricMulti) * irradiance;

    vec3 metalSingle;
    vec3 metalMulti;
    splitSum(baseColor, roughness, nDotV, dfg, metalSingle, metalMulti);
    vec3 metal = metalSingle * radiance + metalMulti * irradiance;
    return mix(dielectric, metal, metallic);
}
