// mf_inspect's pipeline behind the C ABI: weld, measure, face checks, topology, self-intersections.
#pragma once

#include "mesh_view.hpp"

#include <meshforge/kernel.h>

#include <cstdint>

namespace mf {

class Progress;

struct InspectSettings {
    bool find_intersections = true;
};

// Fills report (zeroed by the caller) for a validated mesh. Throws KernelError when cancelled or out of
// time, std::bad_alloc when memory runs out.
void inspect(const MeshView &mesh, const InspectSettings &settings, Progress &progress, mf_inspect_report &report);

// An upper estimate of the bytes inspect() allocates at its peak, checked against max_memory_bytes
// before any work starts.
uint64_t inspect_memory_bytes(const MeshView &mesh, const InspectSettings &settings);

} // namespace mf
