// The kernel's point type: doubles, which hold float32 inputs exactly and float64 inputs as given.
#pragma once

namespace mf {

struct Vec3d {
    double x, y, z;
};

} // namespace mf
