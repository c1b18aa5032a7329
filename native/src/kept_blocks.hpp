// An allocator for working arrays that a thread frees and soon needs again (one simplification after another on
// the same thread: a batch, a server's worker, a benchmark): freed blocks stay with the thread, up to kKeep bytes
// and kBlocks blocks in all (the oldest given up first), and the next request the size of one (up to twice its
// need) takes it back, its pages already mapped.
// Mapping fresh ones costs a page fault per 4 KiB touched, about 1,000 a call for a 40k-triangle mesh. Blocks are
// made by LargeAlloc (huge pages from 1 MiB). A block must be freed on the thread that took it.
#pragma once

#include "large_pages.hpp"

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace mf {

class KeptBlocks {
public:
    static constexpr size_t kKeep = size_t(64) << 20, kBlocks = 64;

    static KeptBlocks &here() {
        thread_local KeptBlocks blocks;
        return blocks;
    }

    ~KeptBlocks() {
        for (const Block &b : kept_) release(b);
    }

    // A block of at least `bytes`: the smallest kept one that fits (wasting at most its need), else a new one.
    void *take(size_t bytes) {
        lent_.reserve(lent_.size() + 1); // so that recording the block below cannot fail and lose it
        size_t best = kept_.size();
        for (size_t i = 0; i < kept_.size(); ++i)
            if (kept_[i].bytes >= bytes && kept_[i].bytes <= 2 * bytes &&
                (best == kept_.size() || kept_[i].bytes < kept_[best].bytes))
                best = i;
        Block b;
        if (best < kept_.size()) {
            b = kept_[best];
            kept_.erase(kept_.begin() + ptrdiff_t(best));
            held_ -= b.bytes;
        } else {
            b = {LargeAlloc<char>().allocate(bytes), bytes};
        }
        lent_.push_back(b);
        return b.p;
    }

    // Takes back block p (asked for with at least `bytes`) and keeps it, giving up the oldest kept ones to stay
    // within kKeep bytes and kBlocks blocks; a block over kKeep is given up itself.
    void give(void *p, size_t bytes) noexcept {
        Block b{p, bytes};
        for (size_t i = 0; i < lent_.size(); ++i)
            if (lent_[i].p == p) {
                b = lent_[i];
                lent_[i] = lent_.back();
                lent_.pop_back();
                break;
            }
        if (b.bytes <= kKeep) {
            while (!kept_.empty() && (held_ + b.bytes > kKeep || kept_.size() >= kBlocks)) {
                release(kept_.front());
                held_ -= kept_.front().bytes;
                kept_.erase(kept_.begin());
            }
            try {
                kept_.push_back(b);
                held_ += b.bytes;
                return;
            } catch (...) {
            }
        }
        release(b);
    }

private:
    struct Block {
        void *p;
        size_t bytes;
    };
    static void release(const Block &b) noexcept { LargeAlloc<char>().deallocate(static_cast<char *>(b.p), b.bytes); }
    std::vector<Block> kept_, lent_;
    size_t held_ = 0;
};

// std::vector<T, KeptAlloc<T>>: LargeAlloc's blocks and default-initialised values, kept with the thread between
// uses (KeptBlocks).
template <class T> struct KeptAlloc {
    using value_type = T;

    KeptAlloc() = default;
    template <class U> KeptAlloc(const KeptAlloc<U> &) noexcept {}

    T *allocate(size_t n) {
        if (n > size_t(-1) / sizeof(T)) throw std::bad_alloc();
        return static_cast<T *>(KeptBlocks::here().take(n * sizeof(T)));
    }
    void deallocate(T *p, size_t n) noexcept { KeptBlocks::here().give(p, n * sizeof(T)); }
    template <class U> void construct(U *p) noexcept { ::new (static_cast<void *>(p)) U; }
    template <class U, class... A> void construct(U *p, A &&...a) {
        ::new (static_cast<void *>(p)) U(std::forward<A>(a)...);
    }
    template <class U> bool operator==(const KeptAlloc<U> &) const noexcept { return true; }
    template <class U> bool operator!=(const KeptAlloc<U> &) const noexcept { return false; }
};

} // namespace mf
