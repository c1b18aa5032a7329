// Names, in a warning, the material features a target format cannot hold, so that none is dropped silently.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Scene;

import java.nio.file.Path;
import java.util.TreeSet;

public final class MaterialLoss {
    private MaterialLoss() {
    }

    /**
     * Warns once a material about the glTF material extensions it carries (clearcoat, sheen, transmission, ...),
     * which {@code format} has no place for; specular-glossiness is converted (see {@link MetallicRoughnessView},
     * which names a texture it cannot bake).
     */
    public static void warnExtensions(Scene scene, Path file, String format) {
        for (int i = 0; i < scene.materials().size(); i++) {
            Material m = scene.materials().get(i);
            String name = m.name() == null || m.name().isEmpty() ? "material " + i : "material '" + m.name() + "'";
            TreeSet<String> lost = new TreeSet<>(m.extensions().keySet());
            lost.remove(SpecularGlossiness.EXTENSION);
            if (!lost.isEmpty()) {
                scene.warn(file + ": " + format + " cannot hold " + String.join(", ", lost) + " of " + name
                        + "; left out");
            }
        }
    }

    /**
     * Warns once a file, naming the materials with an occlusion texture, where {@code format} has no occlusion:
     * "{@code lack}; the occlusion texture of material 'a', material 'b' is {@code fate}".
     */
    public static void warnOcclusion(Scene scene, Path file, String lack, String fate) {
        java.util.List<String> named = new java.util.ArrayList<>();
        for (int i = 0; i < scene.materials().size(); i++) {
            Material m = scene.materials().get(i);
            if (m.occlusionTexture() >= 0) {
                named.add(m.name() == null || m.name().isEmpty() ? "material " + i : "material '" + m.name() + "'");
            }
        }
        if (!named.isEmpty()) {
            scene.warn(file + ": " + lack + "; the occlusion texture of " + String.join(", ", named) + " is " + fate);
        }
    }
}
