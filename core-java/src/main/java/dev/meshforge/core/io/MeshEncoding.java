// How a writer that can (glTF) stores vertex data: quantized integers, meshopt-compressed buffer views.
package dev.meshforge.core.io;

/**
 * Vertex data encoding for the glTF writer. A bit count of 0 keeps that attribute float32; otherwise it is stored
 * as integers under KHR_mesh_quantization: POSITION as unsigned integers on a grid of {@code positionBits} bits
 * over each mesh's extent (the node placing the mesh carries the dequantizing scale and offset), TEXCOORD_n as
 * normalized unsigned integers where they lie in [0, 1], NORMAL and TANGENT as normalized signed bytes (8 bits or
 * fewer) or shorts, COLOR_n as normalized unsigned bytes (8 bits or fewer) or shorts. Skinned meshes and meshes
 * with morph targets keep float positions (a skinned mesh ignores its node's transform). With
 * {@code meshoptCompression} vertex, index, skin and animation views are compressed with EXT_meshopt_compression
 * and described in a fallback buffer.
 */
public record MeshEncoding(int positionBits, int texCoordBits, int normalBits, int colorBits,
                           boolean meshoptCompression) {
    /** Everything float32, nothing compressed: what every writer does by default. */
    public static final MeshEncoding FLOAT = new MeshEncoding(0, 0, 0, 0, false);
    /** gltfpack's defaults: positions 14 bits, UVs 12, normals 8, colours 8. */
    public static final MeshEncoding QUANTIZED = new MeshEncoding(14, 12, 8, 8, false);

    public MeshEncoding {
        check("position", positionBits);
        check("texture coordinate", texCoordBits);
        check("normal", normalBits);
        check("colour", colorBits);
    }

    private static void check(String what, int bits) {
        if (bits != 0 && (bits < 2 || bits > 16)) {
            throw new IllegalArgumentException(what + " bits must be 0 (float) or 2 to 16, not " + bits);
        }
    }

    /** Whether any attribute is stored as integers. */
    public boolean quantized() {
        return positionBits > 0 || texCoordBits > 0 || normalBits > 0 || colorBits > 0;
    }

    public MeshEncoding withMeshoptCompression(boolean on) {
        return new MeshEncoding(positionBits, texCoordBits, normalBits, colorBits, on);
    }
}
