// Choices a writer honours: text or binary encoding where the format has both; glTF's vertex encoding.
package dev.meshforge.core.io;

import java.util.Objects;

/**
 * @param ascii    write the text variant of formats that have one (STL, PLY, FBX)
 * @param encoding how the glTF writer stores vertex data (quantized, meshopt-compressed); other writers ignore it
 */
public record WriteOptions(boolean ascii, MeshEncoding encoding) {
    public static final WriteOptions DEFAULTS = new WriteOptions(false);

    public WriteOptions {
        Objects.requireNonNull(encoding, "encoding");
    }

    public WriteOptions(boolean ascii) {
        this(ascii, MeshEncoding.FLOAT);
    }
}
