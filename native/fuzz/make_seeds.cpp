// Writes the kernel fuzzers' seed inputs (fuzz_input.hpp's layout) into a folder: the test fixtures' meshes
// (a cube, two overlapping cubes, an open cube, a flipped face, a sphere) and every STL file named on the
// command line, welded by exact position, as long as it fits the layout's counts.
//   make_seeds OUT_DIR [FILE.stl ...]
#include <algorithm> // mesh_fixtures.hpp uses std::minmax

#include "../tests/mesh_fixtures.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>

namespace {

using mf_test::Mesh;

// Exact-position weld of a triangle soup.
Mesh weld(const std::vector<float> &soup) {
    Mesh m;
    std::map<std::tuple<float, float, float>, uint32_t> ids;
    std::vector<uint32_t> corner;
    for (size_t i = 0; i + 2 < soup.size(); i += 3) {
        auto key = std::make_tuple(soup[i], soup[i + 1], soup[i + 2]);
        auto [it, fresh] = ids.emplace(key, uint32_t(m.vertex_count()));
        if (fresh) m.add_vertex(soup[i], soup[i + 1], soup[i + 2]);
        corner.push_back(it->second);
        if (corner.size() == 3) {
            m.add_triangle(corner[0], corner[1], corner[2]);
            corner.clear();
        }
    }
    return m;
}

// Binary STL when its size matches the count in its header, else ASCII ("vertex x y z" lines).
bool read_stl(const char *path, Mesh &out) {
    std::ifstream f(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<float> soup;
    uint32_t count = 0;
    if (bytes.size() >= 84) std::memcpy(&count, bytes.data() + 80, 4);
    if (bytes.size() >= 84 && bytes.size() == 84 + 50ull * count) {
        for (uint32_t t = 0; t < count; ++t)
            for (int k = 0; k < 9; ++k) {
                float x;
                std::memcpy(&x, bytes.data() + 84 + 50ull * t + 12 + 4 * k, 4);
                soup.push_back(x);
            }
    } else {
        std::istringstream text(bytes);
        std::string word;
        while (text >> word)
            if (word == "vertex")
                for (int k = 0; k < 3; ++k) {
                    float x = 0;
                    text >> x;
                    soup.push_back(x);
                }
    }
    out = weld(soup);
    return out.vertex_count() > 0;
}

template <class T>
void put(std::string &s, T v) {
    s.append(reinterpret_cast<const char *>(&v), sizeof v);
}

bool write_seed(const std::string &dir, const std::string &name, const Mesh &m) {
    if (m.vertex_count() > 4095 || m.triangle_count() > 8191) {
        std::fprintf(stderr, "make_seeds: %s is too large for a seed (%llu vertices), left out\n", name.c_str(),
                     (unsigned long long)m.vertex_count());
        return false;
    }
    std::string s;
    // raw float32 positions, options a = 0, b = 0 and c = 16 (a mid-range grid and wall)
    put<uint8_t>(s, 0), put<uint8_t>(s, 0), put<uint8_t>(s, 0), put<uint8_t>(s, 16);
    put<uint16_t>(s, uint16_t(m.vertex_count()));
    put<uint16_t>(s, uint16_t(m.triangle_count()));
    for (float x : m.positions) put(s, x);
    for (uint32_t i : m.indices) put<uint16_t>(s, uint16_t(i));
    std::ofstream(dir + "/" + name, std::ios::binary).write(s.data(), std::streamsize(s.size()));
    return true;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: make_seeds OUT_DIR [FILE.stl ...]\n");
        return 2;
    }
    std::string dir = argv[1];
    Mesh open = mf_test::cube();
    open.indices.resize(open.indices.size() - 6);
    Mesh flipped = mf_test::cube();
    std::swap(flipped.indices[0], flipped.indices[1]);
    int written = write_seed(dir, "cube", mf_test::cube()) + write_seed(dir, "open_cube", open) +
                  write_seed(dir, "flipped_face", flipped) +
                  write_seed(dir, "overlapping_cubes",
                             mf_test::merged(mf_test::cube(), mf_test::cube(1, 0.5f, 0.5f, 0.5f))) +
                  write_seed(dir, "cube_soup", mf_test::soup(mf_test::cube())) +
                  write_seed(dir, "sphere", mf_test::icosphere(3));
    for (int i = 2; i < argc; ++i) {
        Mesh m;
        std::string name = argv[i];
        name = "stl_" + name.substr(name.find_last_of('/') + 1);
        if (read_stl(argv[i], m)) written += write_seed(dir, name, m);
    }
    std::printf("make_seeds: %d seeds in %s\n", written, dir.c_str());
    return 0;
}
