// The FFM handles and struct layouts of native/include/meshforge/kernel.h: one MethodHandle per function.
package dev.meshforge.core.kernel.internal;

import dev.meshforge.core.KernelException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Mirrors kernel.h. Must change together with MF_ABI_VERSION there. */
public final class KernelBindings {
    public static final int ABI_VERSION = 3;

    public static final StructLayout MF_ERROR = MemoryLayout.structLayout(
            JAVA_INT.withName("code"),
            MemoryLayout.sequenceLayout(508, JAVA_BYTE).withName("message"));

    public static final StructLayout MF_MESH = MemoryLayout.structLayout(
            ADDRESS.withName("positions"),
            JAVA_LONG.withName("vertex_count"),
            JAVA_INT.withName("position_stride"),
            JAVA_INT.withName("position_type"),
            ADDRESS.withName("indices"),
            JAVA_LONG.withName("triangle_count"));

    public static final StructLayout MF_INSPECT_OPTIONS = MemoryLayout.structLayout(
            JAVA_INT.withName("size"),
            JAVA_INT.withName("flags"),
            ADDRESS.withName("progress"),
            ADDRESS.withName("progress_user"),
            JAVA_LONG.withName("max_memory_bytes"),
            JAVA_DOUBLE.withName("time_limit_seconds"));

    public static final StructLayout MF_INSPECT_REPORT = MemoryLayout.structLayout(
            JAVA_LONG.withName("vertices"),
            JAVA_LONG.withName("triangles"),
            JAVA_LONG.withName("holes"),
            JAVA_LONG.withName("open_edges"),
            JAVA_LONG.withName("non_manifold_edges"),
            JAVA_LONG.withName("inconsistent_orientation_edges"),
            JAVA_LONG.withName("degenerate_faces"),
            JAVA_LONG.withName("duplicate_faces"),
            JAVA_LONG.withName("components"),
            JAVA_LONG.withName("intersecting_pairs"),
            JAVA_INT.withName("watertight"),
            JAVA_INT.withName("reserved0"),
            JAVA_DOUBLE.withName("volume"),
            JAVA_DOUBLE.withName("area"),
            MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("bbox_min"),
            MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("bbox_max"));

    public static final StructLayout MF_REPAIR_OPTIONS = MemoryLayout.structLayout(
            JAVA_INT.withName("size"),
            JAVA_INT.withName("flags"),
            ADDRESS.withName("progress"),
            ADDRESS.withName("progress_user"),
            JAVA_LONG.withName("max_memory_bytes"),
            JAVA_DOUBLE.withName("time_limit_seconds"),
            JAVA_INT.withName("quality"),
            JAVA_INT.withName("resolution"),
            JAVA_LONG.withName("target_triangles"),
            JAVA_DOUBLE.withName("weld_tolerance"),
            ADDRESS.withName("attributes"),
            JAVA_INT.withName("attribute_count"),
            JAVA_INT.withName("attribute_stride"));

    public static final StructLayout MF_REPAIR_RESULT = MemoryLayout.structLayout(
            ADDRESS.withName("positions"),
            JAVA_LONG.withName("vertex_count"),
            ADDRESS.withName("indices"),
            JAVA_LONG.withName("triangle_count"),
            ADDRESS.withName("attributes"),
            JAVA_INT.withName("attribute_count"),
            JAVA_INT.withName("stage"),
            MF_INSPECT_REPORT.withName("before"),
            MF_INSPECT_REPORT.withName("after"),
            JAVA_LONG.withName("vertices_welded"),
            JAVA_LONG.withName("faces_removed"),
            JAVA_LONG.withName("faces_flipped"),
            JAVA_LONG.withName("holes_filled"),
            JAVA_LONG.withName("hole_triangles"),
            JAVA_LONG.withName("small_parts_removed"),
            JAVA_LONG.withName("parts_merged"),
            JAVA_INT.withName("resolution"),
            JAVA_INT.withName("simplified"),
            JAVA_DOUBLE.withName("hausdorff_out_in"),
            JAVA_DOUBLE.withName("hausdorff_in_out"),
            JAVA_DOUBLE.withName("hausdorff_out_in_patched"));

    public static final StructLayout MF_HAUSDORFF_OPTIONS = MemoryLayout.structLayout(
            JAVA_INT.withName("size"),
            JAVA_INT.withName("samples"),
            ADDRESS.withName("progress"),
            ADDRESS.withName("progress_user"));

    public static final StructLayout MF_HAUSDORFF_REPORT = MemoryLayout.structLayout(
            JAVA_DOUBLE.withName("a_to_b"),
            JAVA_DOUBLE.withName("b_to_a"),
            JAVA_DOUBLE.withName("diagonal"));

    /** int32_t (*)(void *user, double fraction, const char *stage) */
    public static final FunctionDescriptor PROGRESS_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_DOUBLE, ADDRESS);

    public static final MethodHandle MF_ABI_VERSION;
    public static final MethodHandle MF_VERSION;
    public static final MethodHandle MF_INSPECT;
    public static final MethodHandle MF_REPAIR;
    public static final MethodHandle MF_HAUSDORFF;
    public static final MethodHandle MF_FREE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(NativeLibraryLoader.locate(), Arena.global());
        } catch (IllegalCallerException e) {
            throw new KernelException("native access is disabled; run java with --enable-native-access=ALL-UNNAMED "
                    + "(the meshforge launcher does this)", e);
        } catch (IllegalArgumentException e) {
            throw new KernelException("the kernel library could not be loaded: " + e.getMessage(), e);
        }
        MF_ABI_VERSION = linker.downcallHandle(find(lookup, "mf_abi_version"), FunctionDescriptor.of(JAVA_INT));
        MF_VERSION = linker.downcallHandle(find(lookup, "mf_version"), FunctionDescriptor.of(ADDRESS));
        MF_INSPECT = linker.downcallHandle(find(lookup, "mf_inspect"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_REPAIR = linker.downcallHandle(find(lookup, "mf_repair"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_HAUSDORFF = linker.downcallHandle(find(lookup, "mf_hausdorff"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_FREE = linker.downcallHandle(find(lookup, "mf_free"), FunctionDescriptor.ofVoid(ADDRESS));
        int abi;
        try {
            abi = (int) MF_ABI_VERSION.invokeExact();
        } catch (Throwable t) {
            throw new KernelException("the kernel library did not answer mf_abi_version: " + t, t);
        }
        if (abi != ABI_VERSION) {
            throw new KernelException(-1, "the kernel library speaks ABI version " + abi + " but this meshforge "
                    + "expects " + ABI_VERSION + "; rebuild both from the same sources");
        }
    }

    private KernelBindings() {
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new KernelException(-1,
                "the kernel library has no symbol " + name + "; it is older than this meshforge"));
    }

    /** A handle for a field of a struct layout, with the base offset coordinate already bound to 0. */
    public static VarHandle field(StructLayout layout, String name) {
        return MethodHandles.insertCoordinates(layout.varHandle(MemoryLayout.PathElement.groupElement(name)), 1, 0L);
    }
}
