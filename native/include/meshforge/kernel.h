/* meshforge kernel: the whole C ABI.
 * Mesh data crosses as flat buffers (float32 or float64 xyz positions, uint32 triangle indices, optional
 * interleaved float attributes); options are zero-initialised structs that open alike: their size, one
 * 32-bit field, the progress callback and its user pointer, max_memory_bytes and time_limit_seconds; every
 * entry point checks its meshes against the limits below before any work, returns an mf_status code and fills
 * an mf_error with one English sentence; no C++ exception crosses this boundary. */
#ifndef MESHFORGE_KERNEL_H
#define MESHFORGE_KERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MF_API __declspec(dllexport)
#else
#define MF_API __attribute__((visibility("default")))
#endif

/* Bumped whenever a struct layout or a signature changes; the Java side refuses a mismatch. */
#define MF_ABI_VERSION 6

typedef enum mf_status {
    MF_OK = 0,
    MF_ERR_INVALID_ARGUMENT = 1, /* null pointers, index out of range, wrong struct size, NaN coordinates */
    MF_ERR_OUT_OF_MEMORY = 2,    /* allocation failed or options.max_memory_bytes would be exceeded */
    MF_ERR_CANCELLED = 3,        /* the progress callback asked to stop */
    MF_ERR_LIMIT = 4,            /* a time or size limit in the options was reached */
    MF_ERR_INTERNAL = 5          /* a bug: an unexpected exception inside the kernel */
} mf_status;

/* Limits every entry point checks on every mesh it takes, before any work. Beyond a count: MF_ERR_LIMIT;
 * any other breach: MF_ERR_INVALID_ARGUMENT. Besides these, a mesh's buffers are non-null where its counts
 * are not zero, every index is below vertex_count, every coordinate and attribute is finite, and strides
 * hold at least one record. */
#define MF_MAX_VERTICES 4294967295ull   /* vertex ids are uint32 */
#define MF_MAX_TRIANGLES 1431655765ull  /* 3 * triangle_count indices stay addressable by uint32 */
#define MF_MAX_ATTRIBUTES 64u           /* floats a vertex in mf_mesh.attributes */
#define MF_MAX_COORDINATE 3.4028234663852886e38 /* |coordinate| <= FLT_MAX, also for float64 positions */
#define MF_MAX_RESOLUTION 2000u         /* mf_repair_options.resolution; grid cells along any side (mf_hollow) */
#define MF_MAX_HOLES 1024u              /* mf_hollow_options.hole_count */

typedef struct mf_error {
    int32_t code;        /* an mf_status */
    char message[508];   /* NUL-terminated, one sentence */
} mf_error;

/* Progress in [0,1] with a short stage name; return non-zero to cancel the operation. */
typedef int32_t (*mf_progress_fn)(void *user, double fraction, const char *stage);

/* One line of diagnostics (what a stage decided and why), for a developer; never needed to use a result. */
typedef void (*mf_log_fn)(void *user, const char *line);

/* Values of mf_mesh.position_type */
#define MF_POSITIONS_FLOAT32 0u /* 3 floats a vertex; the default, what a zeroed struct means */
#define MF_POSITIONS_FLOAT64 1u /* 3 doubles a vertex (positions then points at doubles): keeps decimal text
                                   coordinates and transformed positions exact where float32 would round */

/* A triangle mesh view: memory stays owned by the caller and is only read. */
typedef struct mf_mesh {
    const float *positions;      /* vertex_count records of 3 coordinates, position_stride bytes apart */
    uint64_t vertex_count;
    uint32_t position_stride;    /* bytes between records; 0 means tightly packed (12, or 24 for float64) */
    uint32_t position_type;      /* MF_POSITIONS_FLOAT32 (0) or MF_POSITIONS_FLOAT64 */
    const uint32_t *indices;     /* 3 * triangle_count vertex indices */
    uint64_t triangle_count;
    const float *attributes;     /* optional, per vertex: attribute_count floats, attribute_stride bytes apart
                                    (normals, UV sets, colour sets interleaved); null = none. Tools that
                                    make new vertices carry them (mf_repair); the others ignore them. */
    uint32_t attribute_count;    /* floats a vertex, at most MF_MAX_ATTRIBUTES */
    uint32_t attribute_stride;   /* bytes between records; 0 = 4 * attribute_count */
} mf_mesh;

/* Flags for mf_inspect_options.flags */
#define MF_INSPECT_SKIP_INTERSECTIONS 1u /* leave intersecting_pairs at 0 and skip the BVH search */

typedef struct mf_inspect_options {
    uint32_t size;               /* sizeof(mf_inspect_options) */
    uint32_t flags;
    mf_progress_fn progress;     /* may be null */
    void *progress_user;
    uint64_t max_memory_bytes;   /* 0 = no limit */
    double time_limit_seconds;   /* 0 = no limit */
} mf_inspect_options;

/* What inspect measures after welding vertices with exactly equal positions.
 * Field names are the keys of `meshforge inspect --json`. */
typedef struct mf_inspect_report {
    uint64_t vertices;                       /* after the exact weld */
    uint64_t triangles;
    uint64_t holes;                          /* boundary loops: connected pieces of the open edges */
    uint64_t open_edges;                     /* edges with exactly one face */
    uint64_t non_manifold_edges;             /* edges with more than two faces */
    uint64_t inconsistent_orientation_edges; /* directed edges (a->b) that more than one face traverses */
    uint64_t degenerate_faces;               /* zero area: repeated vertex, or |(b-a)x(c-a)| <= 1e-12 diag^2 */
    uint64_t duplicate_faces;                /* faces over the same vertex set as an earlier face */
    uint64_t components;                     /* connected through shared vertices */
    uint64_t intersecting_pairs;             /* triangle pairs sharing no vertex that cross, deeper than
                                                1e-9 of their coordinates' magnitude (touching, coplanar
                                                and zero-area pairs do not count) */
    int32_t watertight;                      /* 1: no open, non-manifold or inconsistent edge (several
                                                shells, self-intersections and inverted shells allowed) */
    int32_t reserved0;
    double volume;                           /* signed, by the divergence theorem */
    double area;
    double bbox_min[3];
    double bbox_max[3];
} mf_inspect_report;

MF_API int32_t mf_abi_version(void);
MF_API const char *mf_version(void);

/* Fills *report. options may be null (defaults). Returns MF_OK or an error code with error filled. */
MF_API int32_t mf_inspect(const mf_mesh *mesh, const mf_inspect_options *options,
                          mf_inspect_report *report, mf_error *error);


/* ---- Repair ------------------------------------------------------------------------------ */

/* Values of mf_repair_options.quality: the grid resolution of the volumetric stage. */
#define MF_QUALITY_DEFAULT 0 /* 200 cells along the longest side of the bounding box */
#define MF_QUALITY_LOW 1     /* 100 cells */
#define MF_QUALITY_MAX 2     /* 320 cells */

/* Flags for mf_repair_options.flags */
#define MF_REPAIR_KEEP_SMALL_PARTS 1u  /* keep parts smaller than 0.2% of the bounding-box diagonal */
#define MF_REPAIR_SKIP_HAUSDORFF 2u    /* leave the Hausdorff figures at -1 */
#define MF_REPAIR_FORCE_VOLUMETRIC 4u  /* skip the topological stage's verdict: always rebuild the volume */
#define MF_REPAIR_NO_SIMPLIFY 8u       /* keep the volumetric stage's grid-resolution surface */
#define MF_REPAIR_TETRAHEDRA 16u       /* contour by marching tetrahedra only (no sharp edges), for comparison */

typedef struct mf_repair_options {
    uint32_t size;               /* sizeof(mf_repair_options) */
    uint32_t flags;              /* MF_REPAIR_* */
    mf_progress_fn progress;     /* may be null */
    void *progress_user;
    uint64_t max_memory_bytes;   /* 0 = no limit */
    double time_limit_seconds;   /* 0 = no limit */
    int32_t quality;             /* MF_QUALITY_* */
    uint32_t resolution;         /* cells along the longest side, at most MF_MAX_RESOLUTION; 0 = from quality */
    uint64_t target_triangles;   /* volumetric stage: simplify toward this many; 0 = the input's count */
    double weld_tolerance;       /* fraction of the bbox diagonal, at most 0.01; 0 = 1e-6, negative = exact
                                    weld only */
    mf_log_fn log;               /* may be null: the stages' diagnostics, a line each */
    void *log_user;
} mf_repair_options;

/* Values of mf_repair_result.stage */
#define MF_REPAIR_UNCHANGED 0   /* the input met the guarantee: no buffers, use the input as it is */
#define MF_REPAIR_TOPOLOGICAL 1 /* input vertices and attributes kept (snapped by the weld), faces edited */
#define MF_REPAIR_VOLUMETRIC 2  /* a new surface; attributes interpolated from the closest input point */

/* What mf_repair found and did. Buffers are kernel-owned: free each with mf_free. */
typedef struct mf_repair_result {
    float *positions;            /* vertex_count * 3 floats, or null when stage is MF_REPAIR_UNCHANGED */
    uint64_t vertex_count;
    uint32_t *indices;           /* triangle_count * 3 */
    uint64_t triangle_count;
    float *attributes;           /* vertex_count * attribute_count floats, tightly packed, or null: the
                                    input mesh's attributes carried to the output vertices */
    uint32_t attribute_count;
    int32_t stage;               /* MF_REPAIR_* stage */
    mf_inspect_report before;    /* inspect of the input */
    mf_inspect_report after;     /* inspect of the output (equal to before when unchanged) */
    uint64_t vertices_welded;    /* vertices merged by the tolerance weld (beyond the exact one) */
    uint64_t faces_removed;      /* degenerate and duplicate faces dropped */
    uint64_t faces_flipped;      /* faces turned to agree with their neighbours or to face outward */
    uint64_t holes_filled;
    uint64_t hole_triangles;     /* triangles added to close holes */
    uint64_t small_parts_removed;
    uint64_t parts_merged;       /* input parts that the volumetric stage joined into another */
    uint32_t resolution;         /* grid cells along the longest side (volumetric stage), else 0 */
    int32_t simplified;          /* 1 when the volumetric surface was decimated */
    double hausdorff_out_in;     /* max distance output -> input, fraction of the input bbox diagonal */
    double hausdorff_in_out;     /* max distance input -> output; -1 when skipped */
    /* max distance output -> the input together with the hole patches of the topological stage (what the
     * volumetric stage rebuilds from), a fraction as above: small where out->in is large only because a
     * hole had to be covered. Never above hausdorff_out_in, equal to it where no hole was filled, about 0
     * for a topological result; -1 when skipped. */
    double hausdorff_out_in_patched;
    /* What of the input the output lost: the largest distance from a point of the input surface that lies
     * outside the output solid (by the output's winding number) to the output surface, a fraction of the
     * input bbox diagonal. A solid may swallow input surface (inner walls, overlapping shells), never leave
     * it outside. 0 when unchanged; -1 when skipped. */
    double lost;
    /* The share of the input's area (sampled) outside the output and farther than 0.5% of the diagonal
     * from it; -1 when skipped. */
    double lost_area;
} mf_repair_result;

/* Repairs mesh into a watertight, manifold, consistently outward-oriented, self-intersection-free solid
 * without degenerate faces: a topological stage first, a volumetric rebuild (generalized winding number,
 * dual contouring that keeps sharp edges and corners, marching tetrahedra where that surface would not
 * be valid, quadric simplification) where that is not enough. Checked with mf_inspect before
 * returning. options may be null. On error no buffer is left allocated. */
MF_API int32_t mf_repair(const mf_mesh *mesh, const mf_repair_options *options, mf_repair_result *result,
                         mf_error *error);

typedef struct mf_hausdorff_options {
    uint32_t size;               /* sizeof(mf_hausdorff_options) */
    uint32_t samples;            /* surface samples on each side besides the vertices; 0 = 100000 */
    mf_progress_fn progress;
    void *progress_user;
    uint64_t max_memory_bytes;   /* 0 = no limit */
    double time_limit_seconds;   /* 0 = no limit */
} mf_hausdorff_options;

typedef struct mf_hausdorff_report {
    double a_to_b;   /* max over samples of a of the distance to surface b */
    double b_to_a;
    double diagonal; /* bbox diagonal of a, for fractions */
} mf_hausdorff_report;

/* Sampled one-sided Hausdorff distances between two triangle surfaces (absolute units). */
MF_API int32_t mf_hausdorff(const mf_mesh *a, const mf_mesh *b, const mf_hausdorff_options *options,
                            mf_hausdorff_report *report, mf_error *error);

typedef struct mf_lost_report {
    double lost;      /* the largest distance from a sample of the input surface that lies outside the solid
                         (by its winding number) to the solid's surface, a fraction of the input's diagonal */
    double lost_area; /* the share of the input's area (sampled) outside the solid and farther than 0.5% of
                         the diagonal from it */
    double diagonal;  /* bbox diagonal of the input, for absolute distances */
} mf_lost_report;

/* What of `input` a closed, outward `solid` lost (the measure mf_repair reports as lost and lost_area), for
 * any pair of meshes: a repair's output, another program's. options->samples as for mf_hausdorff. */
MF_API int32_t mf_lost(const mf_mesh *input, const mf_mesh *solid, const mf_hausdorff_options *options,
                       mf_lost_report *report, mf_error *error);

/* ---- Hollow ------------------------------------------------------------------------------ */

/* Values of mf_hollow_options.holes */
#define MF_HOLES_AUTO 0 /* one drain hole at the lowest point of every cavity along `up` (the default) */
#define MF_HOLES_NONE 1 /* no hole: cavities stay closed (and are reported undrained) */
#define MF_HOLES_AT 2   /* a hole at each of hole_points, square to the surface there */

/* Flags for mf_hollow_options.flags */
#define MF_HOLLOW_VENTS 1u       /* MF_HOLES_AUTO: also a vent hole at the highest point of every cavity */
#define MF_HOLLOW_TETRAHEDRA 2u  /* contour by marching tetrahedra only (no sharp edges), for comparison */

typedef struct mf_hollow_options {
    uint32_t size;               /* sizeof(mf_hollow_options) */
    uint32_t flags;              /* MF_HOLLOW_* */
    mf_progress_fn progress;     /* may be null */
    void *progress_user;
    uint64_t max_memory_bytes;   /* 0 = no limit */
    double time_limit_seconds;   /* 0 = no limit */
    double wall_thickness;       /* in the mesh's units, > 0: the least distance from the inner to the outer shell */
    double closing_distance;     /* >= 0, mesh units: cavity features narrower than about twice this are filled */
    int32_t quality;             /* MF_QUALITY_*: grid cells across the wall, 3 (low), 4 (default) or 6 (max) */
    int32_t holes;               /* MF_HOLES_* */
    double up[3];                /* the print direction (need not be unit length); all zero = +z */
    double hole_diameter;        /* mesh units, > 0; 0 = 3 */
    const double *hole_points;   /* MF_HOLES_AT: hole_count points (xyz), each on or near the outer surface */
    uint32_t hole_count;         /* at most MF_MAX_HOLES */
    uint32_t reserved0;
    mf_log_fn log;               /* may be null */
    void *log_user;
} mf_hollow_options;

/* What mf_hollow made and measured. Buffers are kernel-owned: free each with mf_free. */
typedef struct mf_hollow_result {
    float *positions;            /* vertex_count * 3 floats; null when nothing could be hollowed (cavities 0):
                                    the input is then the answer, solid */
    uint64_t vertex_count;
    uint32_t *indices;           /* triangle_count * 3 */
    uint64_t triangle_count;
    double *hole_positions;      /* holes * 3: where each hole opens on the outer surface, or null */
    uint32_t holes;              /* drain and vent holes cut */
    uint32_t cavities;           /* enclosed hollow regions made */
    uint32_t cavities_drained;   /* of them, reached from outside through the holes (a flood fill) */
    int32_t remeshed;            /* 1: the whole solid was contoured (holes cut); 0: the input kept as the outer
                                    shell, each cavity added as an inner shell facing inward */
    double volume_before;        /* of the input */
    double volume_after;         /* of the result: the material left */
    double min_wall;             /* measured: least distance from the inner surface (its vertices and face
                                    samples) to the input's surface; 0 when nothing was hollowed */
    double inner_offset;         /* how deep the inner surface was placed: wall_thickness or a little more */
    double cell_size;            /* the grid's cell edge */
    uint64_t inner_triangles;    /* triangles of the inner surface */
    mf_inspect_report after;     /* inspect of the result (of the input when nothing was hollowed) */
} mf_hollow_result;

/* Hollows a closed, outward, self-intersection-free solid (run mf_repair first when it is not): an inner
 * surface wall_thickness deep, from a narrow-band signed distance (exact closest points through a BVH, the
 * side from the winding number) on a grid whose cell is wall_thickness / (3, 4 or 6 by quality), and at most
 * a third of the hole diameter, but no finer than MF_MAX_RESOLUTION cells along the longest side; contoured
 * dually (sharp edges kept). Regions thinner than two walls stay solid. Drain holes are carved into the field
 * before contouring, so that no hole can fail. Checked before returning: watertight, manifold, free of
 * self-intersections, positive volume, inner shells facing inward, the measured wall at least 98 % of
 * wall_thickness (the inner surface is placed deeper until it is). On error no buffer is left allocated. */
MF_API int32_t mf_hollow(const mf_mesh *mesh, const mf_hollow_options *options, mf_hollow_result *result,
                         mf_error *error);

/* ---- Simplify ---------------------------------------------------------------------------- */

/* Flags for mf_simplify_options.flags */
#define MF_SIMPLIFY_LOCK_BORDER 1u      /* vertices on open edges never move, nor gain an edge or face among them */
#define MF_SIMPLIFY_ABSOLUTE_ERROR 2u   /* target_error is in mesh units, not a fraction of the extent */
#define MF_SIMPLIFY_NO_INTERSECTIONS 4u /* no collapse makes a face cross another (slower) */

typedef struct mf_simplify_options {
    uint32_t size;               /* sizeof(mf_simplify_options) */
    uint32_t flags;              /* MF_SIMPLIFY_* */
    mf_progress_fn progress;     /* may be null */
    void *progress_user;
    uint64_t max_memory_bytes;   /* 0 = no limit */
    double time_limit_seconds;   /* 0 = no limit */
    uint64_t target_triangles;   /* stop at this many triangles; 0 = from target_ratio */
    double target_ratio;         /* (0, 1]: the share of the input's triangles to keep; 0 = none */
    double target_error;         /* >= 0: no collapse beyond this error (a fraction of the extent, the largest
                                    side of the bounding box, or mesh units with MF_SIMPLIFY_ABSOLUTE_ERROR);
                                    0 = no bound. At least one of the three targets must be given. */
    const float *attribute_weights; /* mesh.attribute_count finite weights >= 0 (0 ignores that float); null =
                                       1 each. The attribute cost of a collapse is (weight * change)^2 summed
                                       over its faces, each times its area over the extent squared, added to
                                       the squared relative distance (so geometry comes first on small faces). */
} mf_simplify_options;

/* Values of mf_simplify_result.stop */
#define MF_SIMPLIFY_REACHED_TARGET 0 /* the triangle target was reached (or the input was already at it) */
#define MF_SIMPLIFY_ERROR_BOUND 1    /* every collapse left would exceed target_error */
#define MF_SIMPLIFY_TOPOLOGY 2       /* no collapse is left that keeps the surface valid: locked borders, seams
                                        meeting, non-manifold points, the link condition or a flip */

/* What mf_simplify made. indices is kernel-owned: free it with mf_free. */
typedef struct mf_simplify_result {
    uint32_t *indices;           /* triangle_count * 3 indices into the INPUT's vertices (positions and
                                    attributes of kept vertices are the input's, unchanged) */
    uint64_t triangle_count;
    uint64_t target_triangles;   /* the count aimed at (0 when only the error bounds the result) */
    uint64_t collapses;          /* edge collapses made */
    uint64_t dropped;            /* input faces with two corners at one position, dropped (zero area) */
    double error;                /* the largest geometric error a collapse reached, mesh units */
    double relative_error;       /* error / extent */
    double attribute_error;      /* the largest weighted attribute error of a collapse (root mean square) */
    double extent;               /* the largest side of the input's bounding box */
    int32_t stop;                /* MF_SIMPLIFY_* why it stopped */
    int32_t reserved0;
} mf_simplify_result;

/* Simplifies a triangle mesh by quadric edge collapse with attributes (mesh.attributes: normals, UV sets,
 * colours, each float weighted by options.attribute_weights). Vertices at one position are one point; where
 * their attributes differ (a UV or material seam) the point moves only along its seam, a border point only
 * along its border, a non-manifold or otherwise complex point not at all. Every collapse keeps the link
 * condition (a watertight manifold stays one), turns no face by 90 degrees or more (nor by about 75 from its
 * input normal, 90 once no other collapse is left), and, with MF_SIMPLIFY_NO_INTERSECTIONS, makes no crossing. A
 * target beyond the input's count returns the input's faces (MF_SIMPLIFY_REACHED_TARGET). On error no buffer is
 * left allocated. Up to 64 MiB of working memory stays with the calling thread for its next call. */
MF_API int32_t mf_simplify(const mf_mesh *mesh, const mf_simplify_options *options, mf_simplify_result *result,
                           mf_error *error);

/* Frees a buffer the kernel returned (null is fine). */
MF_API void mf_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
