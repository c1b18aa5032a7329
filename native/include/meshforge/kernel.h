/* meshforge kernel: the whole C ABI.
 * Mesh data crosses as flat buffers (float32 xyz positions, uint32 triangle indices); options are
 * zero-initialised structs whose first field is their size; every entry point returns an mf_status code
 * and fills an mf_error with one English sentence; no C++ exception crosses this boundary. */
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
#define MF_ABI_VERSION 1

typedef enum mf_status {
    MF_OK = 0,
    MF_ERR_INVALID_ARGUMENT = 1, /* null pointers, index out of range, wrong struct size, NaN coordinates */
    MF_ERR_OUT_OF_MEMORY = 2,    /* allocation failed or options.max_memory_bytes would be exceeded */
    MF_ERR_CANCELLED = 3,        /* the progress callback asked to stop */
    MF_ERR_LIMIT = 4,            /* a time or size limit in the options was reached */
    MF_ERR_INTERNAL = 5          /* a bug: an unexpected exception inside the kernel */
} mf_status;

typedef struct mf_error {
    int32_t code;        /* an mf_status */
    char message[508];   /* NUL-terminated, one sentence */
} mf_error;

/* Progress in [0,1] with a short stage name; return non-zero to cancel the operation. */
typedef int32_t (*mf_progress_fn)(void *user, double fraction, const char *stage);

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

#ifdef __cplusplus
}
#endif

#endif
