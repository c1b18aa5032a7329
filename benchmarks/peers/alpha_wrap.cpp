// Benchmark-only peer: CGAL's 3D alpha wrapping (Debian libcgal-dev) run on one mesh file, for RepairBenchmark.
// Not part of the shipped build; benchmarks/peers/build.sh compiles it where CGAL's headers are installed.
//
// usage: alpha_wrap IN OUT [RELATIVE_ALPHA [RELATIVE_OFFSET]]
//   IN is read as a triangle soup (STL, OFF, OBJ or PLY, by extension), so several parts, open edges and
//   self-intersections are all acceptable; OUT is written by extension (binary for STL and PLY).
//   alpha = bbox diagonal / RELATIVE_ALPHA (default 100), offset = diagonal / RELATIVE_OFFSET (default 600).
// Prints one line on stdout: wrap_ms (alpha_wrap_3 alone, without reading and writing), triangles, alpha, offset.
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Surface_mesh.h>
#include <CGAL/alpha_wrap_3.h>
#include <CGAL/IO/polygon_soup_io.h>
#include <CGAL/boost/graph/IO/polygon_mesh_io.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
using Point = Kernel::Point_3;
using Wrap = CGAL::Surface_mesh<Point>;

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: alpha_wrap IN OUT [RELATIVE_ALPHA [RELATIVE_OFFSET]]\n");
        return 2;
    }
    const double relativeAlpha = argc > 3 ? std::atof(argv[3]) : 100.0;
    const double relativeOffset = argc > 4 ? std::atof(argv[4]) : 600.0;
    if (!(relativeAlpha > 0) || !(relativeOffset > 0)) {
        std::fprintf(stderr, "alpha_wrap: RELATIVE_ALPHA and RELATIVE_OFFSET must be positive numbers\n");
        return 2;
    }

    std::vector<Point> points;
    std::vector<std::array<std::size_t, 3>> faces;
    if (!CGAL::IO::read_polygon_soup(argv[1], points, faces) || faces.empty()) {
        std::fprintf(stderr, "alpha_wrap: %s could not be read as a triangle soup\n", argv[1]);
        return 1;
    }
    const CGAL::Bbox_3 box = CGAL::bbox_3(points.begin(), points.end());
    const double diagonal = std::sqrt(CGAL::square(box.xmax() - box.xmin()) + CGAL::square(box.ymax() - box.ymin())
                                      + CGAL::square(box.zmax() - box.zmin()));
    const double alpha = diagonal / relativeAlpha;
    const double offset = diagonal / relativeOffset;

    Wrap wrap;
    const auto start = std::chrono::steady_clock::now();
    CGAL::alpha_wrap_3(points, faces, alpha, offset, wrap);
    const auto stop = std::chrono::steady_clock::now();

    if (!CGAL::IO::write_polygon_mesh(argv[2], wrap, CGAL::parameters::stream_precision(17))) {
        std::fprintf(stderr, "alpha_wrap: could not write %s\n", argv[2]);
        return 1;
    }
    std::printf("wrap_ms=%.1f triangles=%zu alpha=%.6g offset=%.6g\n",
                std::chrono::duration<double, std::milli>(stop - start).count(),
                static_cast<std::size_t>(wrap.number_of_faces()), alpha, offset);
    return 0;
}
