// A minimal test harness for the kernel's C++ tests: TEST registers a case, CHECK/CHECK_EQ record
// failures with file and line, and run_all_tests() returns non-zero when anything failed.
#pragma once

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace mf_test {

struct Case {
    const char *name;
    std::function<void()> run;
};

inline std::vector<Case> &cases() {
    static std::vector<Case> all;
    return all;
}

inline int &failures() {
    static int count = 0;
    return count;
}

struct Registrar {
    Registrar(const char *name, std::function<void()> run) { cases().push_back({name, std::move(run)}); }
};

inline void fail(const char *file, int line, const std::string &what) {
    // The first failures say what broke; thousands more from a randomized loop would bury them.
    if (++failures() <= 25) std::fprintf(stderr, "%s:%d: FAILED %s\n", file, line, what.c_str());
}

template <class A, class B>
void check_eq(const A &a, const B &b, const char *as, const char *bs, const char *file, int line) {
    if (a == b) return;
    std::ostringstream out;
    out << as << " == " << bs << " (" << a << " vs " << b << ")";
    fail(file, line, out.str());
}

inline int run_all_tests() {
    for (const Case &c : cases()) {
        int before = failures();
        try {
            c.run();
        } catch (const std::exception &e) {
            fail(c.name, 0, std::string("threw ") + e.what());
        }
        std::fprintf(stderr, "%s %s\n", failures() == before ? "ok  " : "FAIL", c.name);
    }
    std::fprintf(stderr, "%zu cases, %d failed checks\n", cases().size(), failures());
    return failures() == 0 ? 0 : 1;
}

} // namespace mf_test

#define MF_TEST_CONCAT2(a, b) a##b
#define MF_TEST_CONCAT(a, b) MF_TEST_CONCAT2(a, b)
#define TEST(name)                                                                                   \
    static void name();                                                                              \
    static mf_test::Registrar MF_TEST_CONCAT(registrar_, name)(#name, name);                         \
    static void name()
#define CHECK(cond)                                                                                  \
    do {                                                                                             \
        if (!(cond)) mf_test::fail(__FILE__, __LINE__, #cond);                                       \
    } while (0)
#define CHECK_EQ(a, b) mf_test::check_eq((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, tolerance)                                                                  \
    do {                                                                                             \
        double mf_a_ = (a), mf_b_ = (b);                                                             \
        if (!(mf_a_ - mf_b_ <= (tolerance) && mf_b_ - mf_a_ <= (tolerance))) {                       \
            std::ostringstream mf_out_;                                                              \
            mf_out_ << #a << " ~= " << #b << " (" << mf_a_ << " vs " << mf_b_ << ")";               \
            mf_test::fail(__FILE__, __LINE__, mf_out_.str());                                        \
        }                                                                                            \
    } while (0)
