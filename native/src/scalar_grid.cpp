// Regular grids over a mesh's box, for the fields the volumetric tools contour (repair's rebuild, hollowing).
#include "contour.hpp"

#include "kernel_error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mf {

void triangle_box(const IndexedMesh &mesh, double lo[3], double hi[3]) {
    const double inf = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 3; ++k) lo[k] = inf, hi[k] = -inf;
    for (uint32_t v : mesh.tris)
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], coord(mesh.positions[v], k));
            hi[k] = std::max(hi[k], coord(mesh.positions[v], k));
        }
}

Vec3d seam_across(const double lo[3], const double hi[3]) {
    const int axis = hi[0] - lo[0] >= std::max(hi[1] - lo[1], hi[2] - lo[2]) ? 0 : (hi[1] - lo[1] >= hi[2] - lo[2] ? 1 : 2);
    double a[3];
    a[axis] = 1, a[(axis + 1) % 3] = 0.41, a[(axis + 2) % 3] = 0.27;
    return {a[0], a[1], a[2]};
}

ScalarGrid grid_over(const double lo[3], const double hi[3], double h, int pad, const char *what) {
    ScalarGrid grid;
    grid.h = h;
    for (int k = 0; k < 3; ++k) {
        grid.dims[k] = int64_t(std::ceil((hi[k] - lo[k]) / h)) + 1 + 2 * pad;
        grid.origin[k] = lo[k] - pad * h;
    }
    if (grid.point_count() > 0xFFFFFFF0ull)
        throw KernelError(MF_ERR_LIMIT, std::string("The ") + what + " grid would exceed 4 billion points.");
    return grid;
}

} // namespace mf
