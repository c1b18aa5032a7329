// The hollowing grid's arrays (a value a grid point, tens of MiB each) on transparent huge pages.
#pragma once

#include "large_pages.hpp"

#include <cstddef>
#include <vector>

namespace mf {

// Makes v n copies of value, its storage offered huge pages before anything touches it (large_pages.hpp), so
// that filling it faults once per 2 MiB rather than once per 4 KiB page.
template <class T> void assign_on_huge_pages(std::vector<T> &v, size_t n, const T &value) {
    std::vector<T>().swap(v);
    reserve_on_huge_pages(v, n);
    v.assign(n, value);
}

} // namespace mf
