// Decodes buffer views compressed with EXT_meshopt_compression.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.UnsupportedFeatureException;

import java.lang.foreign.MemorySegment;

/** EXT_meshopt_compression buffer views. */
final class MeshoptViews {
    private final GltfDocument doc;

    MeshoptViews(GltfDocument doc) {
        this.doc = doc;
    }

    MemorySegment decode(JsonNode ext, long byteLength, String where) {
        throw new UnsupportedFeatureException(doc.file + ": " + where + " is compressed with EXT_meshopt_compression, "
                + "which meshforge cannot decode yet");
    }
}
