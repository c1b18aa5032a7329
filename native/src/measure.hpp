// Volume, surface area and bounding box of the welded triangles.
#pragma once

#include "mesh_view.hpp"

#include <cstdint>
#include <vector>

namespace mf {

struct Measures {
    double volume = 0;  // signed: positive for a closed mesh whose faces wind counter-clockwise outside
    double area = 0;
    double bbox_min[3] = {0, 0, 0}; // over the vertices that faces use; zeros when there are none
    double bbox_max[3] = {0, 0, 0};
    double diagonal() const;
};

Measures measure(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions);

} // namespace mf
