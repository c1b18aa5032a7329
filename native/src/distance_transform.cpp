// The distance transform as three one-dimensional passes: along each line of the grid, the squared distance
// so far (f) is replaced by min over q of (p - q)^2 + f(q), the lower envelope of parabolas rooted at every q,
// found in one sweep (Felzenszwalb and Huttenlocher 2012). Exact for the Euclidean metric on the grid's points.
#include "distance_transform.hpp"

#include "progress.hpp"

#include <algorithm>
#include <limits>

namespace mf {

namespace {

// One line: f (n values, stride apart in data) replaced by its transform; v, z, d are scratch of size n, n + 1, n.
void transform_line(float *data, int64_t n, int64_t stride, std::vector<int64_t> &v, std::vector<double> &z,
                    std::vector<double> &d) {
    const double inf = std::numeric_limits<double>::infinity();
    int64_t k = 0;
    v[0] = 0;
    z[0] = -inf, z[1] = inf;
    auto f = [&](int64_t q) { return double(data[q * stride]); };
    for (int64_t q = 1; q < n; ++q) {
        double s;
        while (true) {
            const int64_t r = v[k];
            s = ((f(q) + double(q) * q) - (f(r) + double(r) * r)) / (2.0 * double(q - r));
            if (s <= z[k] && k > 0) --k;
            else break;
        }
        if (s <= z[k]) { // k == 0 and the new parabola is lower everywhere to the left
            v[0] = q;
            z[1] = inf;
            continue;
        }
        ++k;
        v[k] = q;
        z[k] = s;
        z[k + 1] = inf;
    }
    k = 0;
    for (int64_t q = 0; q < n; ++q) {
        while (z[k + 1] < double(q)) ++k;
        const double dq = double(q - v[k]);
        d[q] = dq * dq + f(v[k]);
    }
    for (int64_t q = 0; q < n; ++q) data[q * stride] = float(d[q]);
}

} // namespace

std::vector<float> squared_distance_to_set(const ScalarGrid &grid, const std::vector<uint8_t> &in_set, Progress &progress) {
    const int64_t *dims = grid.dims;
    // Far enough that no sum of squares over the grid reaches it, small enough to stay finite in float.
    const float far = 1e30f;
    std::vector<float> out(in_set.size());
    for (size_t p = 0; p < in_set.size(); ++p) out[p] = in_set[p] ? 0.0f : far;
    const int64_t longest = std::max({dims[0], dims[1], dims[2]});
    std::vector<int64_t> v(longest);
    std::vector<double> z(longest + 1), d(longest);
    const int64_t strides[3] = {1, dims[0], dims[0] * dims[1]};
    for (int axis = 0; axis < 3; ++axis) {
        progress.check();
        const int a = (axis + 1) % 3, b = (axis + 2) % 3;
        for (int64_t j = 0; j < dims[b]; ++j)
            for (int64_t i = 0; i < dims[a]; ++i)
                transform_line(out.data() + i * strides[a] + j * strides[b], dims[axis], strides[axis], v, z, d);
    }
    return out;
}

} // namespace mf
