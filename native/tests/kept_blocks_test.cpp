// KeptBlocks: freed blocks come back to the next request of their size, within kKeep bytes as they are and, beyond
// that, large ones lent back to the system (MADV_FREE) within kLazyKeep; what a kept block holds stays writable.
#include "check.hpp"

#include "kept_blocks.hpp"

#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

namespace {
constexpr size_t kMiB = size_t(1) << 20;
}

TEST(a_small_block_given_back_is_taken_again) {
    mf::KeptBlocks blocks;
    void *a = blocks.take(4096);
    blocks.give(a, 4096);
    CHECK_EQ(blocks.held(), size_t(4096));
    CHECK(blocks.take(4096) == a);
    CHECK_EQ(blocks.held(), size_t(0));
}

TEST(a_block_twice_the_need_serves_it_but_not_one_larger) {
    mf::KeptBlocks blocks;
    void *a = blocks.take(8 * kMiB);
    blocks.give(a, 8 * kMiB);
    void *b = blocks.take(3 * kMiB); // 8 MiB is more than twice 3: a new block
    CHECK(b != a);
    void *c = blocks.take(5 * kMiB);
    CHECK(c == a);
    blocks.give(b, 3 * kMiB);
    blocks.give(c, 5 * kMiB);
}

TEST(past_kKeep_large_blocks_are_lent_back_and_still_taken_again) {
    mf::KeptBlocks blocks;
    const size_t n = 48 * kMiB;
    std::vector<void *> taken;
    for (int i = 0; i < 3; ++i) {
        taken.push_back(blocks.take(n));
        std::memset(taken.back(), 0x5A, n); // every page touched, as a call's arrays are
    }
    for (void *p : taken) blocks.give(p, n);
    CHECK_EQ(blocks.held(), n); // the first within kKeep
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MADV_FREE)
    CHECK_EQ(blocks.lent_back(), 2 * n); // the others beyond it, lent back
    std::set<void *> given(taken.begin(), taken.end());
    for (int i = 0; i < 3; ++i) {
        auto *p = static_cast<unsigned char *>(blocks.take(n));
        CHECK(given.count(p) == 1);
        // Written and read again: a page the system took back comes back zeroed, one it left holds what is written.
        p[0] = 1, p[n / 2] = 2, p[n - 1] = 3;
        CHECK(p[0] == 1 && p[n / 2] == 2 && p[n - 1] == 3);
        blocks.give(p, n);
    }
#endif
}

TEST(a_block_over_both_bounds_is_given_up) {
    mf::KeptBlocks blocks;
    const size_t n = mf::KeptBlocks::kLazyKeep + 2 * kMiB;
    void *a = blocks.take(n);
    blocks.give(a, n);
    CHECK_EQ(blocks.held(), size_t(0));
    CHECK_EQ(blocks.lent_back(), size_t(0));
}

TEST(lent_back_bytes_stay_within_kLazyKeep) {
    mf::KeptBlocks blocks;
    const size_t n = 256 * kMiB;
    std::vector<void *> taken;
    for (int i = 0; i < 6; ++i) taken.push_back(blocks.take(n)); // untouched: mapped, never faulted in
    for (void *p : taken) blocks.give(p, n);
    CHECK(blocks.held() <= mf::KeptBlocks::kKeep);
    CHECK(blocks.lent_back() <= mf::KeptBlocks::kLazyKeep);
}

int main() { return mf_test::run_all_tests(); }
