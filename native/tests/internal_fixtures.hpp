// The small meshes of mesh_fixtures.hpp as the kernel's internal functions take them (double positions).
#pragma once

#include "mesh_fixtures.hpp"

#include "indexed_mesh.hpp"

namespace mf_test {

inline mf::IndexedMesh repair_mesh(const Mesh &m) {
    mf::IndexedMesh r;
    for (size_t v = 0; v < m.vertex_count(); ++v)
        r.positions.push_back({m.positions[3 * v], m.positions[3 * v + 1], m.positions[3 * v + 2]});
    r.tris = m.indices;
    return r;
}

} // namespace mf_test
