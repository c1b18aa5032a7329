// Exact Euclidean distance transform of a set of grid points.
#pragma once

#include "contour.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// For every point of grid (dims only), the squared distance in cells to the nearest point where in_set is 1
// (a large number where the set is empty): Felzenszwalb and Huttenlocher's lower envelope of parabolas, one
// axis after another.
std::vector<float> squared_distance_to_set(const ScalarGrid &grid, const std::vector<uint8_t> &in_set, Progress &progress);

} // namespace mf
