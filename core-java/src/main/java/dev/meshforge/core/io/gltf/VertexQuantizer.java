// KHR_mesh_quantization for the writer: float attributes to integers, and each mesh's position grid.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.io.MeshEncoding;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import org.lwjgl.util.meshoptimizer.MeshOptimizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Packs one attribute into integers. Positions sit on a grid with one step on every axis (a uniform scale, so that
 * normals keep their directions under the dequantizing node transform) from an origin within a step of the mesh's
 * minimum corner (see GridPhase); vertices are padded to a 4-byte stride as glTF requires of vertex attributes.
 */
final class VertexQuantizer {
    private VertexQuantizer() {
    }

    /** A mesh's position grid: position = min + q * step. */
    record Grid(double[] min, double step) {
        /** The transform from grid units to the mesh's own coordinates. */
        Transform dequantize() {
            return Transform.translation(min[0], min[1], min[2]).then(Transform.scale(step, step, step));
        }
    }

    /**
     * Integer data ready to write: {@code count} elements of {@code components} values of {@code componentType},
     * each element padded to {@code stride} bytes; min/max only for positions.
     */
    record Packed(byte[] bytes, int componentType, boolean normalized, int components, int stride, long count,
                  double[] min, double[] max) {
    }

    /** The grid for a mesh's positions (all its primitives), or null for a mesh without vertices. */
    static Grid grid(Mesh mesh, int bits) {
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        boolean any = false;
        for (Primitive p : mesh.primitives()) {
            VertexAttribute pos = p.positions();
            for (long v = 0; v < pos.count(); v++) {
                for (int c = 0; c < 3; c++) {
                    double x = pos.get(v, c);
                    if (!Double.isFinite(x)) {
                        return null;
                    }
                    min[c] = Math.min(min[c], x);
                    max[c] = Math.max(max[c], x);
                }
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        double extent = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
        if (!(extent > 0)) {
            return new Grid(min, 1);
        }
        // One of the 2^bits - 1 steps is left over, so that the origin can move down by up to a step (GridPhase)
        // and the largest value still fits.
        double step = extent / ((1 << bits) - 2);
        double[] offset = GridPhase.best(mesh, min, step);
        if (offset == null) {
            return new Grid(min, extent / ((1 << bits) - 1));
        }
        return new Grid(new double[] {min[0] - offset[0] * step, min[1] - offset[1] * step,
                min[2] - offset[2] * step}, step);
    }

    /** Positions on {@code grid} as unsigned shorts (unsigned bytes up to 8 bits), not normalized. */
    static Packed positions(VertexAttribute a, long n, Grid grid, int bits) {
        boolean small = bits <= 8;
        int size = small ? 1 : 2;
        int stride = small ? 4 : 8;
        ByteBuffer out = ByteBuffer.allocate((int) (n * stride)).order(ByteOrder.LITTLE_ENDIAN);
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int top = (1 << bits) - 1;
        for (long v = 0; v < n; v++) {
            for (int c = 0; c < 3; c++) {
                int q = (int) Math.round((a.get(v, c) - grid.min()[c]) / grid.step());
                q = Math.max(0, Math.min(top, q));
                put(out, (int) (v * stride + c * size), size, q);
                min[c] = Math.min(min[c], q);
                max[c] = Math.max(max[c], q);
            }
        }
        return new Packed(out.array(), small ? AccessorDecoder.UNSIGNED_BYTE : AccessorDecoder.UNSIGNED_SHORT,
                false, 3, stride, n, min, max);
    }

    /** Unit vectors (normals, tangents) as normalized signed bytes (8 bits or fewer) or shorts. */
    static Packed signed(VertexAttribute a, long n, int components, int bits) {
        boolean small = bits <= 8;
        int size = small ? 1 : 2;
        int stride = (components * size + 3) & ~3;
        int scale = small ? 127 : 32767;
        // Fewer bits than the type holds: round to that grid first, so that the low bits compress to nothing.
        int levels = (1 << (bits - 1)) - 1;
        ByteBuffer out = ByteBuffer.allocate((int) (n * stride)).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 0; v < n; v++) {
            for (int c = 0; c < components; c++) {
                double x = Math.max(-1, Math.min(1, a.get(v, c)));
                double onGrid = Math.round(x * levels) / (double) levels;
                put(out, (int) (v * stride + c * size), size, (int) Math.round(onGrid * scale));
            }
        }
        return new Packed(out.array(), small ? AccessorDecoder.BYTE : AccessorDecoder.SHORT, true, components,
                stride, n, null, null);
    }

    /**
     * A material's UV set on a grid of {@code bits} bits over the box its primitives' UVs span: stored as q in
     * [0, 2^bits - 1] in normalized unsigned shorts (so the high bits stay zero and compress), and read back through
     * the material's KHR_texture_transform as uv = min + q * range / (2^bits - 1). UVs outside [0, 1] (tiling) fit
     * as well as any others.
     */
    record UvGrid(double[] min, double[] range, int bits) {
        /** The KHR_texture_transform offset. */
        double[] offset() {
            return min.clone();
        }

        /** The KHR_texture_transform scale that turns the stored q / 65535 back into UVs. */
        double[] scale() {
            double top = (1 << bits) - 1;
            return new double[] {range[0] * 65535 / top, range[1] * 65535 / top};
        }
    }

    /**
     * The grid over the UVs of {@code sets} (one material's primitives, same set), or null when some value is not
     * finite or there are none.
     */
    static UvGrid uvGrid(List<VertexAttribute> sets, int bits) {
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (VertexAttribute a : sets) {
            for (long v = 0; v < a.count(); v++) {
                for (int c = 0; c < 2; c++) {
                    double x = a.get(v, c);
                    if (!Double.isFinite(x)) {
                        return null;
                    }
                    min[c] = Math.min(min[c], x);
                    max[c] = Math.max(max[c], x);
                }
            }
        }
        if (!(min[0] <= max[0])) {
            return null;
        }
        // a flat range (one U or V for all) still needs a non-zero scale; every q is then 0
        double[] range = {max[0] > min[0] ? max[0] - min[0] : 1, max[1] > min[1] ? max[1] - min[1] : 1};
        return new UvGrid(min, range, bits);
    }

    /** UVs on {@code grid} as normalized unsigned shorts holding q (see {@link UvGrid}). */
    static Packed texCoords(VertexAttribute a, long n, UvGrid grid) {
        int top = (1 << grid.bits()) - 1;
        ByteBuffer out = ByteBuffer.allocate((int) (n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 0; v < n; v++) {
            for (int c = 0; c < 2; c++) {
                int q = (int) Math.round((a.get(v, c) - grid.min()[c]) / grid.range()[c] * top);
                out.putShort((int) (v * 4 + c * 2), (short) Math.max(0, Math.min(top, q)));
            }
        }
        return new Packed(out.array(), AccessorDecoder.UNSIGNED_SHORT, true, 2, 4, n, null, null);
    }

    /**
     * Unit normals through meshopt's octahedral filter (EXT_meshopt_compression's OCTAHEDRAL): two {@code bits}-bit
     * coordinates on the octahedron a vertex, which compress far better than three; 4 signed bytes a vertex up to 8
     * bits, 4 signed shorts above. The bytes are the filter's encoding: only a view compressed with that filter
     * decodes to normals (normalized signed VEC3, the fourth value unused).
     */
    static Packed octahedral(VertexAttribute unit, long n, int bits) {
        boolean small = bits <= 8;
        int stride = small ? 4 : 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, n) * 16, 16);
            for (long v = 0; v < n; v++) {
                for (int c = 0; c < 3; c++) {
                    in.setAtIndex(ValueLayout.JAVA_FLOAT, v * 4 + c, unit.get(v, c));
                }
                in.setAtIndex(ValueLayout.JAVA_FLOAT, v * 4 + 3, 1f);
            }
            MemorySegment out = arena.allocate(Math.max(1, n) * stride, 16);
            FloatBuffer data = in.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
            if (small) {
                MeshOptimizer.meshopt_encodeFilterOct(out.asByteBuffer(), n, stride, bits, data);
            } else {
                MeshOptimizer.meshopt_encodeFilterOct(out.asByteBuffer().order(ByteOrder.nativeOrder())
                        .asShortBuffer(), n, stride, bits, data);
            }
            byte[] bytes = out.asSlice(0, n * stride).toArray(ValueLayout.JAVA_BYTE);
            return new Packed(bytes, small ? AccessorDecoder.BYTE : AccessorDecoder.SHORT, true, 3, stride, n, null,
                    null);
        }
    }

    /** Values in [0, 1] (UVs, colours) as normalized unsigned bytes (8 bits or fewer) or shorts. */
    static Packed unsigned(VertexAttribute a, long n, int components, int bits) {
        boolean small = bits <= 8;
        int size = small ? 1 : 2;
        int stride = (components * size + 3) & ~3;
        int typeBits = small ? 8 : 16;
        int levels = (1 << bits) - 1;
        ByteBuffer out = ByteBuffer.allocate((int) (n * stride)).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 0; v < n; v++) {
            for (int c = 0; c < components; c++) {
                double x = Math.max(0, Math.min(1, a.get(v, c)));
                int q = (int) Math.round(x * levels);
                put(out, (int) (v * stride + c * size), size, widen(q, bits, typeBits));
            }
        }
        return new Packed(out.array(), small ? AccessorDecoder.UNSIGNED_BYTE : AccessorDecoder.UNSIGNED_SHORT, true,
                components, stride, n, null, null);
    }

    /**
     * A {@code bits}-bit unsigned value spread over {@code typeBits} so that 0 and the top stay 0 and the type's top
     * (what a normalized type decodes exactly): by repeating its high bits in the low ones, within one unit of the
     * exact q * (2^typeBits - 1) / (2^bits - 1), and leaving the low bits as regular as the value (they compress).
     */
    static int widen(int q, int bits, int typeBits) {
        int value = q << (typeBits - bits);
        for (int filled = bits; filled < typeBits; filled += bits) {
            value |= q << Math.max(0, typeBits - bits - filled) >> Math.max(0, filled + bits - typeBits);
        }
        return value;
    }

    /** Whether every value of {@code a} lies in [0, 1], so that a normalized unsigned type holds it. */
    static boolean withinUnit(VertexAttribute a, long n) {
        for (long i = 0; i < n * a.components(); i++) {
            float x = a.data().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            if (!(x >= 0f && x <= 1f)) {
                return false;
            }
        }
        return true;
    }

    /** Which bit count {@code encoding} gives an attribute of this name, or 0 to keep it float. */
    static int bitsFor(MeshEncoding encoding, String name, int components) {
        if (name.equals("NORMAL") && components == 3 || name.equals("TANGENT") && components == 4) {
            return encoding.normalBits();
        }
        if (name.startsWith("TEXCOORD_") && components == 2) {
            return encoding.texCoordBits();
        }
        if (name.startsWith("COLOR_") && (components == 3 || components == 4)) {
            return encoding.colorBits();
        }
        return 0;
    }

    private static void put(ByteBuffer out, int at, int size, int value) {
        if (size == 1) {
            out.put(at, (byte) value);
        } else {
            out.putShort(at, (short) value);
        }
    }
}
