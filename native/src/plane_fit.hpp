// The point that best fits a set of tangent planes, for dual contouring's vertices.
#pragma once

#include "contour.hpp"

#include <cstdint>

namespace mf {

// The point nearest the mean m (in the directions the planes leave free) that fits the planes
// planes[which[0..count)] best; rank (optional) gets how many directions they fix (1 face, 2 edge, 3 corner).
Vec3d fit_planes(const TangentPlane *planes, const uint32_t *which, int count, const Vec3d &m, int *rank = nullptr);

} // namespace mf
