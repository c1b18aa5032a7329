// The one Java description of kernel.h's structs: every layout, and every field handle made from it by name.
package dev.meshforge.core.kernel.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Mirrors the structs of kernel.h (ABI {@link KernelBindings#ABI_VERSION}); field names are the C names.
 * Code reads and writes the structs only through {@link #field}, never at offsets of its own, and
 * NativeLayoutsTest compares every size and offset here with the C compiler's.
 */
public final class NativeLayouts {
    public static final StructLayout MF_ERROR = struct("mf_error",
            JAVA_INT.withName("code"),
            MemoryLayout.sequenceLayout(508, JAVA_BYTE).withName("message"));

    public static final StructLayout MF_MESH = struct("mf_mesh",
            ADDRESS.withName("positions"),
            JAVA_LONG.withName("vertex_count"),
            JAVA_INT.withName("position_stride"),
            JAVA_INT.withName("position_type"),
            ADDRESS.withName("indices"),
            JAVA_LONG.withName("triangle_count"),
            ADDRESS.withName("attributes"),
            JAVA_INT.withName("attribute_count"),
            JAVA_INT.withName("attribute_stride"));

    public static final StructLayout MF_INSPECT_OPTIONS = options("mf_inspect_options", JAVA_INT.withName("flags"));

    /** The counts in the order of MeshReport's constructor, then the flags and measures. */
    public static final List<String> REPORT_COUNTS = List.of("vertices", "triangles", "holes", "open_edges",
            "non_manifold_edges", "inconsistent_orientation_edges", "degenerate_faces", "duplicate_faces",
            "components", "intersecting_pairs");

    public static final StructLayout MF_INSPECT_REPORT = struct("mf_inspect_report", reportFields());

    public static final StructLayout MF_REPAIR_OPTIONS = options("mf_repair_options", JAVA_INT.withName("flags"),
            JAVA_INT.withName("quality"),
            JAVA_INT.withName("resolution"),
            JAVA_LONG.withName("target_triangles"),
            JAVA_DOUBLE.withName("weld_tolerance"),
            ADDRESS.withName("log"),
            ADDRESS.withName("log_user"));

    public static final StructLayout MF_REPAIR_RESULT = struct("mf_repair_result",
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
            JAVA_DOUBLE.withName("hausdorff_out_in_patched"),
            JAVA_DOUBLE.withName("lost"),
            JAVA_DOUBLE.withName("lost_area"));

    public static final StructLayout MF_HAUSDORFF_OPTIONS = options("mf_hausdorff_options",
            JAVA_INT.withName("samples"));

    public static final StructLayout MF_HAUSDORFF_REPORT = struct("mf_hausdorff_report",
            JAVA_DOUBLE.withName("a_to_b"),
            JAVA_DOUBLE.withName("b_to_a"),
            JAVA_DOUBLE.withName("diagonal"));

    public static final StructLayout MF_LOST_REPORT = struct("mf_lost_report",
            JAVA_DOUBLE.withName("lost"),
            JAVA_DOUBLE.withName("lost_area"),
            JAVA_DOUBLE.withName("diagonal"));

    public static final StructLayout MF_HOLLOW_OPTIONS = options("mf_hollow_options", JAVA_INT.withName("flags"),
            JAVA_DOUBLE.withName("wall_thickness"),
            JAVA_DOUBLE.withName("closing_distance"),
            JAVA_INT.withName("quality"),
            JAVA_INT.withName("holes"),
            MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("up"),
            JAVA_DOUBLE.withName("hole_diameter"),
            ADDRESS.withName("hole_points"),
            JAVA_INT.withName("hole_count"),
            JAVA_INT.withName("reserved0"),
            ADDRESS.withName("log"),
            ADDRESS.withName("log_user"));

    public static final StructLayout MF_HOLLOW_RESULT = struct("mf_hollow_result",
            ADDRESS.withName("positions"),
            JAVA_LONG.withName("vertex_count"),
            ADDRESS.withName("indices"),
            JAVA_LONG.withName("triangle_count"),
            ADDRESS.withName("hole_positions"),
            JAVA_INT.withName("holes"),
            JAVA_INT.withName("cavities"),
            JAVA_INT.withName("cavities_drained"),
            JAVA_INT.withName("remeshed"),
            JAVA_DOUBLE.withName("volume_before"),
            JAVA_DOUBLE.withName("volume_after"),
            JAVA_DOUBLE.withName("min_wall"),
            JAVA_DOUBLE.withName("inner_offset"),
            JAVA_DOUBLE.withName("cell_size"),
            JAVA_LONG.withName("inner_triangles"),
            MF_INSPECT_REPORT.withName("after"));

    public static final StructLayout MF_SIMPLIFY_OPTIONS = options("mf_simplify_options", JAVA_INT.withName("flags"),
            JAVA_LONG.withName("target_triangles"),
            JAVA_DOUBLE.withName("target_ratio"),
            JAVA_DOUBLE.withName("target_error"),
            ADDRESS.withName("attribute_weights"));

    public static final StructLayout MF_SIMPLIFY_RESULT = struct("mf_simplify_result",
            ADDRESS.withName("indices"),
            JAVA_LONG.withName("triangle_count"),
            JAVA_LONG.withName("target_triangles"),
            JAVA_LONG.withName("collapses"),
            JAVA_LONG.withName("dropped"),
            JAVA_DOUBLE.withName("error"),
            JAVA_DOUBLE.withName("relative_error"),
            JAVA_DOUBLE.withName("attribute_error"),
            JAVA_DOUBLE.withName("extent"),
            JAVA_INT.withName("stop"),
            JAVA_INT.withName("reserved0"));

    /** Every struct of kernel.h by its C name. */
    public static final Map<String, StructLayout> ALL = Map.ofEntries(
            Map.entry("mf_error", MF_ERROR), Map.entry("mf_mesh", MF_MESH),
            Map.entry("mf_inspect_options", MF_INSPECT_OPTIONS), Map.entry("mf_inspect_report", MF_INSPECT_REPORT),
            Map.entry("mf_repair_options", MF_REPAIR_OPTIONS), Map.entry("mf_repair_result", MF_REPAIR_RESULT),
            Map.entry("mf_hausdorff_options", MF_HAUSDORFF_OPTIONS),
            Map.entry("mf_hausdorff_report", MF_HAUSDORFF_REPORT), Map.entry("mf_lost_report", MF_LOST_REPORT),
            Map.entry("mf_hollow_options", MF_HOLLOW_OPTIONS), Map.entry("mf_hollow_result", MF_HOLLOW_RESULT),
            Map.entry("mf_simplify_options", MF_SIMPLIFY_OPTIONS), Map.entry("mf_simplify_result", MF_SIMPLIFY_RESULT));

    private NativeLayouts() {
    }

    /**
     * The field at a dotted path ({@code "before.vertices"} reaches into a nested struct; {@code "bbox_min[]"} is an
     * array, its elements read and written by index): {@code H.getInt(segment)}, {@code H.set(segment, value)}.
     */
    public static Field field(StructLayout layout, String path) {
        List<MemoryLayout.PathElement> elements = new ArrayList<>();
        boolean array = path.endsWith("[]");
        for (String name : (array ? path.substring(0, path.length() - 2) : path).split("\\.")) {
            elements.add(MemoryLayout.PathElement.groupElement(name));
        }
        MemoryLayout.PathElement[] at = elements.toArray(MemoryLayout.PathElement[]::new);
        MemoryLayout selected = layout.select(at);
        long offset = layout.byteOffset(at);
        if (array) {
            MemoryLayout element = ((SequenceLayout) selected).elementLayout();
            return new Field(path, (ValueLayout) element, offset, element.byteSize());
        }
        return new Field(path, (ValueLayout) selected, offset, 0);
    }

    /** The byte offset of the field at a dotted path, for slicing out a nested struct. */
    public static long offset(StructLayout layout, String path) {
        return layout.byteOffset(java.util.Arrays.stream(path.split("\\."))
                .map(MemoryLayout.PathElement::groupElement).toArray(MemoryLayout.PathElement[]::new));
    }

    private static MemoryLayout[] reportFields() {
        List<MemoryLayout> fields = new ArrayList<>();
        REPORT_COUNTS.forEach(name -> fields.add(JAVA_LONG.withName(name)));
        fields.add(JAVA_INT.withName("watertight"));
        fields.add(JAVA_INT.withName("reserved0"));
        fields.add(JAVA_DOUBLE.withName("volume"));
        fields.add(JAVA_DOUBLE.withName("area"));
        fields.add(MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("bbox_min"));
        fields.add(MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("bbox_max"));
        return fields.toArray(MemoryLayout[]::new);
    }

    /**
     * An options struct: as kernel.h has every one open, its size, one 32-bit field ({@code second}), the
     * progress callback and its user pointer and the two limits, then {@code rest}.
     */
    private static StructLayout options(String name, MemoryLayout second, MemoryLayout... rest) {
        List<MemoryLayout> fields = new ArrayList<>(List.of(JAVA_INT.withName("size"), second,
                ADDRESS.withName("progress"), ADDRESS.withName("progress_user"), JAVA_LONG.withName("max_memory_bytes"),
                JAVA_DOUBLE.withName("time_limit_seconds")));
        fields.addAll(List.of(rest));
        return struct(name, fields.toArray(MemoryLayout[]::new));
    }

    private static StructLayout struct(String name, MemoryLayout... fields) {
        return MemoryLayout.structLayout(fields).withName(name);
    }
}
