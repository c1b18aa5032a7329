// An allocator for working arrays that a thread frees and soon needs again (one simplification after another on
// the same thread: a batch, a server's worker, a benchmark): freed blocks stay with the thread, up to kKeep bytes
// and kBlocks blocks in all (the oldest given up first), and the next request the size of one (up to twice its
// need) takes it back, its pages already mapped.
// Mapping fresh ones costs a page fault per 4 KiB touched, about 1,000 a call for a 40k-triangle mesh. Blocks are
// made by LargeAlloc (huge pages from 1 MiB). A block must be freed on the thread that took it.
// Beyond kKeep, mapped blocks (1 MiB and more) are kept up to kLazyKeep bytes more with their pages lent back to
// the system (MADV_FREE): it takes them when it runs short of memory, and until then a later call finds them still
// mapped; taken, they come back zeroed on first touch, as a new block's would. A large mesh's arrays (some 100 MB for
// a million triangles) no longer go back to fresh pages, whose zeroing alone was 6 % of the profile of simplifying the
// 1M-triangle torus over and over: its median call took 0.73, 0.83 and 0.88 of the time in three runs (KernelAB, 16
// calls each; scallop 0.95).
#pragma once

#include "large_pages.hpp"

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace mf {

class KeptBlocks {
public:
    static constexpr size_t kKeep = size_t(64) << 20, kBlocks = 64, kLazyKeep = size_t(1) << 30;

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
            (b.lent_back ? lent_back_ : held_) -= b.bytes;
            b.lent_back = false;
        } else {
            b = {LargeAlloc<char>().allocate(bytes), bytes, false};
        }
        lent_.push_back(b);
        return b.p;
    }

    // Takes back block p (asked for with at least `bytes`) and keeps it: within kKeep bytes as it is; else, a mapped
    // block, lent back to the system within kLazyKeep bytes; else within kKeep again, giving up the oldest kept
    // ones. Never more than kBlocks blocks (the oldest given up); a block over both bounds is given up itself.
    void give(void *p, size_t bytes) noexcept {
        Block b{p, bytes, false};
        for (size_t i = 0; i < lent_.size(); ++i)
            if (lent_[i].p == p) {
                b = lent_[i];
                lent_[i] = lent_.back();
                lent_.pop_back();
                break;
            }
        if (held_ + b.bytes > kKeep && b.bytes >= LargeAlloc<char>::kMapped && b.bytes <= kLazyKeep) {
            while (lent_back_ + b.bytes > kLazyKeep) give_up_oldest(true);
            if (lend_back(b) && keep(b)) return;
        }
        if (b.bytes <= kKeep) {
            while (held_ + b.bytes > kKeep) give_up_oldest(false);
            if (keep(b)) return;
        }
        release(b);
    }

    // Kept bytes with their pages as they were, and lent back to the system (for a test).
    size_t held() const { return held_; }
    size_t lent_back() const { return lent_back_; }

private:
    struct Block {
        void *p;
        size_t bytes;
        bool lent_back; // its pages lent back to the system (MADV_FREE)
    };
    static void release(const Block &b) noexcept { LargeAlloc<char>().deallocate(static_cast<char *>(b.p), b.bytes); }

    // Gives the system the right to take b's pages back (false where it cannot: b is then kept as it is, or not).
    static bool lend_back(Block &b) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MADV_FREE) // where LargeAlloc maps its large blocks
        b.lent_back = madvise(b.p, LargeAlloc<char>::rounded(b.bytes), MADV_FREE) == 0;
#endif
        return b.lent_back;
    }

    // Keeps b (its kind of bytes counted), within kBlocks blocks; false where the list could not grow.
    bool keep(const Block &b) noexcept {
        while (kept_.size() >= kBlocks) give_up_oldest(kept_.front().lent_back);
        try {
            kept_.push_back(b);
        } catch (...) {
            return false;
        }
        (b.lent_back ? lent_back_ : held_) += b.bytes;
        return true;
    }

    // Gives up the oldest kept block that is (or is not) lent back; nothing where there is none.
    void give_up_oldest(bool lent_back) noexcept {
        for (size_t i = 0; i < kept_.size(); ++i)
            if (kept_[i].lent_back == lent_back) {
                release(kept_[i]);
                (lent_back ? lent_back_ : held_) -= kept_[i].bytes;
                kept_.erase(kept_.begin() + ptrdiff_t(i));
                return;
            }
    }

    std::vector<Block> kept_, lent_;
    size_t held_ = 0, lent_back_ = 0;
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
