// Inspects a whole scene: all placements merged in world space, then measured by the kernel.
package dev.meshforge.core.inspect;

import dev.meshforge.core.kernel.InspectOptions;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.scene.Scene;

import java.lang.foreign.Arena;

/** The scene-level face of the kernel's inspect: node transforms applied, every instance counted. */
public final class Inspector {
    private Inspector() {
    }

    public static MeshReport inspect(Scene scene, InspectOptions options) {
        try (Arena scratch = Arena.ofConfined()) {
            return Kernel.inspect(scene.worldTriangles(scratch), options);
        }
    }

    public static MeshReport inspect(Scene scene) {
        return inspect(scene, InspectOptions.DEFAULTS);
    }
}
