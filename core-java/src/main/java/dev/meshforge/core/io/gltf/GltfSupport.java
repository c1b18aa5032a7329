// Registers the glTF (GLB and JSON) reader and writer with Formats (see FormatSupport).
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.FormatSupport;

import java.util.Map;

/** The glTF (GLB and JSON) entry of the format registry. */
public final class GltfSupport extends FormatSupport {
    public GltfSupport() {
        super(Map.of(Format.GLB, GltfReader::new, Format.GLTF, GltfReader::new),
                Map.of(Format.GLB, () -> new GltfWriter(Format.GLB), Format.GLTF, () -> new GltfWriter(Format.GLTF)));
    }
}
