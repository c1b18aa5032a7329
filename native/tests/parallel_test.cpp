// run_with_helper and parallel_for: every part runs once, on the shared helper thread or the caller, from
// concurrent callers and nested sections alike, and what a part throws reaches the caller.
#include "check.hpp"

#include "parallel.hpp"
#include "progress.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

TEST(every_section_runs_its_main_and_its_helper_once) {
    int mains = 0;
    std::atomic<int> helpers{0};
    for (int i = 0; i < 2000; ++i) mf::run_with_helper([&] { ++mains; }, [&] { ++helpers; });
    CHECK_EQ(mains, 2000);
    CHECK_EQ(helpers.load(), 2000);
}

// A number for each thread that asks, never reused (a thread's id may be, once it has ended).
int thread_serial() {
    static std::atomic<int> next{0};
    thread_local const int serial = next++;
    return serial;
}

TEST(sections_one_after_another_share_one_helper_thread) {
    if (!mf::shared_helper::second_core()) return;
    const int caller = thread_serial();
    std::set<int> others;
    for (int i = 0; i < 200; ++i) {
        int ran = caller;
        // main waits a little so that the helper, once woken, takes its part before main is done
        mf::run_with_helper([] { std::this_thread::sleep_for(std::chrono::microseconds(200)); },
                            [&] { ran = thread_serial(); });
        if (ran != caller) others.insert(ran);
    }
    CHECK(!others.empty());
    CHECK_EQ(others.size(), size_t(1));
}

TEST(concurrent_callers_and_nested_sections_run_every_part) {
    std::atomic<int> parts{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t)
        callers.emplace_back([&] {
            for (int i = 0; i < 300; ++i)
                mf::run_with_helper(
                    [&] { mf::run_with_helper([&] { ++parts; }, [&] { ++parts; }); },
                    [&] { mf::run_with_helper([&] { ++parts; }, [&] { ++parts; }); });
        });
    for (std::thread &c : callers) c.join();
    CHECK_EQ(parts.load(), 4 * 300 * 4);
}

TEST(what_the_helper_throws_reaches_the_caller_and_stops_main) {
    for (int i = 0; i < 200; ++i) {
        std::atomic<bool> stop{false};
        bool caught = false;
        try {
            mf::run_with_helper([&] { std::this_thread::sleep_for(std::chrono::microseconds(i % 2 ? 300 : 0)); },
                                [] { throw std::runtime_error("helper"); }, &stop);
        } catch (const std::runtime_error &e) {
            caught = std::string(e.what()) == "helper";
        }
        CHECK(caught);
    }
    int after = 0;
    mf::run_with_helper([&] { ++after; }, [&] { ++after; });
    CHECK_EQ(after, 2);
}

TEST(what_main_throws_reaches_the_caller_and_the_next_section_runs) {
    for (int i = 0; i < 200; ++i) {
        std::atomic<bool> stop{false};
        std::atomic<int> helper_ran{0};
        bool caught = false;
        try {
            mf::run_with_helper([] { throw std::runtime_error("main"); }, [&] { ++helper_ran; }, &stop);
        } catch (const std::runtime_error &e) {
            caught = std::string(e.what()) == "main";
        }
        CHECK(caught);
        CHECK(stop.load());
        CHECK(helper_ran.load() <= 1);
    }
    int after = 0;
    mf::run_with_helper([&] { ++after; }, [&] { ++after; });
    CHECK_EQ(after, 2);
}

TEST(parallel_for_visits_every_item_once) {
    mf::Progress progress(nullptr, nullptr, 0.0);
    for (size_t count : {size_t(0), size_t(1), size_t(4096), size_t(4097), size_t(100000)}) {
        std::vector<std::atomic<uint8_t>> seen(count);
        mf::parallel_for(count, progress, 0.0, 0.0, "test", [&](size_t i) { ++seen[i]; });
        size_t once = 0;
        for (auto &s : seen) once += s.load() == 1;
        CHECK_EQ(once, count);
    }
}

int main() { return mf_test::run_all_tests(); }
