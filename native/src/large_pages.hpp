// An allocator for the kernel's large working arrays: a block of 1 MiB or more is mapped on its own, in whole
// 2 MiB pieces, and offered to the kernel as transparent huge pages (madvise), so that touching it first costs one
// fault per 2 MiB instead of one per 4 KiB page; smaller blocks come from the ordinary heap. Use it as
// std::vector<T, LargeAlloc<T>>. Values are default-initialised: resize(n) leaves the new ones unset (no pass
// zeroing what is written anyway), so give a value, as in assign(n, 0), wherever one is read before written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace mf {

template <class T> struct LargeAlloc {
    using value_type = T;
    static constexpr size_t kLarge = size_t(2) << 20, kMapped = size_t(1) << 20;

    LargeAlloc() = default;
    template <class U> LargeAlloc(const LargeAlloc<U> &) noexcept {}

    T *allocate(size_t n) {
        if (n > size_t(-1) / sizeof(T)) throw std::bad_alloc();
        const size_t bytes = n * sizeof(T);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (bytes >= kMapped) { // mapped with room to start on a 2 MiB boundary, the rest given back
            const size_t span = rounded(bytes);
            char *raw = static_cast<char *>(
                mmap(nullptr, span + kLarge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
            if (raw == MAP_FAILED) throw std::bad_alloc();
            const size_t head = (kLarge - reinterpret_cast<uintptr_t>(raw) % kLarge) % kLarge;
            if (head) munmap(raw, head);
            if (kLarge - head) munmap(raw + head + span, kLarge - head);
            madvise(raw + head, span, MADV_HUGEPAGE); // advice only: without huge pages the block works the same
            return reinterpret_cast<T *>(raw + head);
        }
#endif
        return static_cast<T *>(::operator new(bytes));
    }
    void deallocate(T *p, size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (n * sizeof(T) >= kMapped) {
            munmap(p, rounded(n * sizeof(T)));
            return;
        }
#endif
        ::operator delete(p);
    }
    template <class U> void construct(U *p) noexcept { ::new (static_cast<void *>(p)) U; }
    template <class U, class... A> void construct(U *p, A &&...a) {
        ::new (static_cast<void *>(p)) U(std::forward<A>(a)...);
    }
    static size_t rounded(size_t bytes) { return (bytes + kLarge - 1) / kLarge * kLarge; }
    template <class U> bool operator==(const LargeAlloc<U> &) const noexcept { return true; }
    template <class U> bool operator!=(const LargeAlloc<U> &) const noexcept { return false; }
};

// Offers the whole 2 MiB pieces inside [p, p + bytes) as transparent huge pages, for a block already allocated
// (a std::vector's reserve) and not yet touched; advice only.
inline void advise_huge_pages(const void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t piece = uintptr_t(2) << 20;
    const uintptr_t lo = (reinterpret_cast<uintptr_t>(p) + piece - 1) / piece * piece;
    const uintptr_t hi = (reinterpret_cast<uintptr_t>(p) + bytes) / piece * piece;
    if (hi > lo) madvise(reinterpret_cast<void *>(lo), hi - lo, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}

// Reserves room for n values in an empty vector v, offered huge pages before anything touches it (advise_huge_pages),
// so that filling it faults once per 2 MiB rather than once per 4 KiB page.
template <class Vector> void reserve_on_huge_pages(Vector &v, size_t n) {
    v.reserve(n);
    advise_huge_pages(v.data(), v.capacity() * sizeof(*v.data()));
}

// Makes an empty vector v n value-initialised values on storage offered huge pages (reserve_on_huge_pages).
template <class Vector> void resize_on_huge_pages(Vector &v, size_t n) {
    reserve_on_huge_pages(v, n);
    v.resize(n);
}

// A copy of v on storage offered huge pages (reserve_on_huge_pages): a fresh block's first touch costs a fault a
// 4 KiB page otherwise, far more than the copy itself.
template <class Vector> Vector copy_on_huge_pages(const Vector &v) {
    Vector copy;
    reserve_on_huge_pages(copy, v.size());
    copy.assign(v.begin(), v.end());
    return copy;
}

} // namespace mf
