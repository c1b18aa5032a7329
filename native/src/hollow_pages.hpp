// The hollowing grid's arrays (a value a grid point, tens of MiB each) on transparent huge pages.
#pragma once

#include "large_pages.hpp"
#include "parallel.hpp"

#include <cstddef>
#include <type_traits>
#include <vector>

namespace mf {

// Makes v n copies of value, its storage offered huge pages before anything touches it (large_pages.hpp), so
// that filling it faults once per 2 MiB rather than once per 4 KiB page. A large block's pages are first
// touched by two threads (run_with_helper), half each: a fault clears its page on the thread that takes it,
// which for a grid's array is most of the cost of filling it.
template <class T> void assign_on_huge_pages(std::vector<T> &v, size_t n, const T &value) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<T>().swap(v);
    reserve_on_huge_pages(v, n);
    const size_t bytes = n * sizeof(T);
    if (bytes >= (size_t(8) << 20)) {
        char *raw = reinterpret_cast<char *>(v.data());
        const size_t half = bytes / 2;
        auto touch = [raw](size_t from, size_t to) {
            for (size_t at = from; at < to; at += 4096) raw[at] = 0;
        };
        run_with_helper([&] { touch(0, half); }, [&] { touch(half, bytes); });
    }
    v.assign(n, value);
}

} // namespace mf
