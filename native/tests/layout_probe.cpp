// Prints the C compiler's size of every struct of kernel.h and the offset and size of each of its fields,
// one tab-separated line each, into the file named by argv[1]; the build runs it and the Java test
// NativeLayoutsTest compares the table with the Java layouts, so that a drift on either side fails.
#include <meshforge/kernel.h>

#include <cstddef>
#include <cstdio>

#define MF_STRUCT(S) std::fprintf(out, "%s\t\t%zu\t%zu\n", #S, sizeof(S), alignof(S))
#define MF_FIELD(S, F) std::fprintf(out, "%s\t%s\t%zu\t%zu\n", #S, #F, offsetof(S, F), sizeof(((S *)nullptr)->F))

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: mf_layout_probe OUTPUT\n");
        return 2;
    }
    std::FILE *out = std::fopen(argv[1], "w");
    if (out == nullptr) {
        std::perror(argv[1]);
        return 1;
    }
    MF_STRUCT(mf_error);
    MF_FIELD(mf_error, code);
    MF_FIELD(mf_error, message);

    MF_STRUCT(mf_mesh);
    MF_FIELD(mf_mesh, positions);
    MF_FIELD(mf_mesh, vertex_count);
    MF_FIELD(mf_mesh, position_stride);
    MF_FIELD(mf_mesh, position_type);
    MF_FIELD(mf_mesh, indices);
    MF_FIELD(mf_mesh, triangle_count);
    MF_FIELD(mf_mesh, attributes);
    MF_FIELD(mf_mesh, attribute_count);
    MF_FIELD(mf_mesh, attribute_stride);

    MF_STRUCT(mf_inspect_options);
    MF_FIELD(mf_inspect_options, size);
    MF_FIELD(mf_inspect_options, flags);
    MF_FIELD(mf_inspect_options, progress);
    MF_FIELD(mf_inspect_options, progress_user);
    MF_FIELD(mf_inspect_options, max_memory_bytes);
    MF_FIELD(mf_inspect_options, time_limit_seconds);

    MF_STRUCT(mf_inspect_report);
    MF_FIELD(mf_inspect_report, vertices);
    MF_FIELD(mf_inspect_report, triangles);
    MF_FIELD(mf_inspect_report, holes);
    MF_FIELD(mf_inspect_report, open_edges);
    MF_FIELD(mf_inspect_report, non_manifold_edges);
    MF_FIELD(mf_inspect_report, inconsistent_orientation_edges);
    MF_FIELD(mf_inspect_report, degenerate_faces);
    MF_FIELD(mf_inspect_report, duplicate_faces);
    MF_FIELD(mf_inspect_report, components);
    MF_FIELD(mf_inspect_report, intersecting_pairs);
    MF_FIELD(mf_inspect_report, watertight);
    MF_FIELD(mf_inspect_report, reserved0);
    MF_FIELD(mf_inspect_report, volume);
    MF_FIELD(mf_inspect_report, area);
    MF_FIELD(mf_inspect_report, bbox_min);
    MF_FIELD(mf_inspect_report, bbox_max);

    MF_STRUCT(mf_repair_options);
    MF_FIELD(mf_repair_options, size);
    MF_FIELD(mf_repair_options, flags);
    MF_FIELD(mf_repair_options, progress);
    MF_FIELD(mf_repair_options, progress_user);
    MF_FIELD(mf_repair_options, max_memory_bytes);
    MF_FIELD(mf_repair_options, time_limit_seconds);
    MF_FIELD(mf_repair_options, quality);
    MF_FIELD(mf_repair_options, resolution);
    MF_FIELD(mf_repair_options, target_triangles);
    MF_FIELD(mf_repair_options, weld_tolerance);
    MF_FIELD(mf_repair_options, log);
    MF_FIELD(mf_repair_options, log_user);

    MF_STRUCT(mf_repair_result);
    MF_FIELD(mf_repair_result, positions);
    MF_FIELD(mf_repair_result, vertex_count);
    MF_FIELD(mf_repair_result, indices);
    MF_FIELD(mf_repair_result, triangle_count);
    MF_FIELD(mf_repair_result, attributes);
    MF_FIELD(mf_repair_result, attribute_count);
    MF_FIELD(mf_repair_result, stage);
    MF_FIELD(mf_repair_result, before);
    MF_FIELD(mf_repair_result, after);
    MF_FIELD(mf_repair_result, vertices_welded);
    MF_FIELD(mf_repair_result, faces_removed);
    MF_FIELD(mf_repair_result, faces_flipped);
    MF_FIELD(mf_repair_result, holes_filled);
    MF_FIELD(mf_repair_result, hole_triangles);
    MF_FIELD(mf_repair_result, small_parts_removed);
    MF_FIELD(mf_repair_result, parts_merged);
    MF_FIELD(mf_repair_result, resolution);
    MF_FIELD(mf_repair_result, simplified);
    MF_FIELD(mf_repair_result, hausdorff_out_in);
    MF_FIELD(mf_repair_result, hausdorff_in_out);
    MF_FIELD(mf_repair_result, hausdorff_out_in_patched);
    MF_FIELD(mf_repair_result, lost);
    MF_FIELD(mf_repair_result, lost_area);

    MF_STRUCT(mf_hausdorff_options);
    MF_FIELD(mf_hausdorff_options, size);
    MF_FIELD(mf_hausdorff_options, samples);
    MF_FIELD(mf_hausdorff_options, progress);
    MF_FIELD(mf_hausdorff_options, progress_user);
    MF_FIELD(mf_hausdorff_options, max_memory_bytes);
    MF_FIELD(mf_hausdorff_options, time_limit_seconds);

    MF_STRUCT(mf_hausdorff_report);
    MF_FIELD(mf_hausdorff_report, a_to_b);
    MF_FIELD(mf_hausdorff_report, b_to_a);
    MF_FIELD(mf_hausdorff_report, diagonal);

    MF_STRUCT(mf_lost_report);
    MF_FIELD(mf_lost_report, lost);
    MF_FIELD(mf_lost_report, lost_area);
    MF_FIELD(mf_lost_report, diagonal);

    MF_STRUCT(mf_hollow_options);
    MF_FIELD(mf_hollow_options, size);
    MF_FIELD(mf_hollow_options, flags);
    MF_FIELD(mf_hollow_options, progress);
    MF_FIELD(mf_hollow_options, progress_user);
    MF_FIELD(mf_hollow_options, max_memory_bytes);
    MF_FIELD(mf_hollow_options, time_limit_seconds);
    MF_FIELD(mf_hollow_options, wall_thickness);
    MF_FIELD(mf_hollow_options, closing_distance);
    MF_FIELD(mf_hollow_options, quality);
    MF_FIELD(mf_hollow_options, holes);
    MF_FIELD(mf_hollow_options, up);
    MF_FIELD(mf_hollow_options, hole_diameter);
    MF_FIELD(mf_hollow_options, hole_points);
    MF_FIELD(mf_hollow_options, hole_count);
    MF_FIELD(mf_hollow_options, reserved0);
    MF_FIELD(mf_hollow_options, log);
    MF_FIELD(mf_hollow_options, log_user);

    MF_STRUCT(mf_hollow_result);
    MF_FIELD(mf_hollow_result, positions);
    MF_FIELD(mf_hollow_result, vertex_count);
    MF_FIELD(mf_hollow_result, indices);
    MF_FIELD(mf_hollow_result, triangle_count);
    MF_FIELD(mf_hollow_result, hole_positions);
    MF_FIELD(mf_hollow_result, holes);
    MF_FIELD(mf_hollow_result, cavities);
    MF_FIELD(mf_hollow_result, cavities_drained);
    MF_FIELD(mf_hollow_result, remeshed);
    MF_FIELD(mf_hollow_result, volume_before);
    MF_FIELD(mf_hollow_result, volume_after);
    MF_FIELD(mf_hollow_result, min_wall);
    MF_FIELD(mf_hollow_result, inner_offset);
    MF_FIELD(mf_hollow_result, cell_size);
    MF_FIELD(mf_hollow_result, inner_triangles);
    MF_FIELD(mf_hollow_result, after);

    MF_STRUCT(mf_simplify_options);
    MF_FIELD(mf_simplify_options, size);
    MF_FIELD(mf_simplify_options, flags);
    MF_FIELD(mf_simplify_options, progress);
    MF_FIELD(mf_simplify_options, progress_user);
    MF_FIELD(mf_simplify_options, max_memory_bytes);
    MF_FIELD(mf_simplify_options, time_limit_seconds);
    MF_FIELD(mf_simplify_options, target_triangles);
    MF_FIELD(mf_simplify_options, target_ratio);
    MF_FIELD(mf_simplify_options, target_error);
    MF_FIELD(mf_simplify_options, attribute_weights);

    MF_STRUCT(mf_simplify_result);
    MF_FIELD(mf_simplify_result, indices);
    MF_FIELD(mf_simplify_result, triangle_count);
    MF_FIELD(mf_simplify_result, target_triangles);
    MF_FIELD(mf_simplify_result, collapses);
    MF_FIELD(mf_simplify_result, dropped);
    MF_FIELD(mf_simplify_result, error);
    MF_FIELD(mf_simplify_result, relative_error);
    MF_FIELD(mf_simplify_result, attribute_error);
    MF_FIELD(mf_simplify_result, extent);
    MF_FIELD(mf_simplify_result, stop);
    MF_FIELD(mf_simplify_result, reserved0);
    return std::fclose(out) == 0 ? 0 : 1;
}
