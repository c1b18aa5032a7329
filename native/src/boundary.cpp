// The one mesh validator and the small option checks of the C boundary (see boundary.hpp).
#include "boundary.hpp"

#include <cmath>
#include <cstring>

namespace mf {

namespace {

bool in_float_range(const Vec3d &p) {
    // Doubles beyond the float range would overflow the float boxes of the intersection search and the exact
    // predicates' headroom; no real model needs them.
    return std::fabs(p.x) <= MF_MAX_COORDINATE && std::fabs(p.y) <= MF_MAX_COORDINATE &&
           std::fabs(p.z) <= MF_MAX_COORDINATE;
}

int32_t check_buffers(const mf_mesh *mesh, const char *argument, mf_error *error) {
    if (mesh->vertex_count > 0 && mesh->positions == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.positions is null but %s.vertex_count is %llu.", argument,
                    argument, (unsigned long long)mesh->vertex_count);
    if (mesh->triangle_count > 0 && mesh->indices == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.indices is null but %s.triangle_count is %llu.", argument,
                    argument, (unsigned long long)mesh->triangle_count);
    if (mesh->vertex_count > MF_MAX_VERTICES)
        return fail(error, MF_ERR_LIMIT, "The %s has %llu vertices, more than the %llu the kernel supports.", argument,
                    (unsigned long long)mesh->vertex_count, (unsigned long long)MF_MAX_VERTICES);
    if (mesh->triangle_count > MF_MAX_TRIANGLES)
        return fail(error, MF_ERR_LIMIT, "The %s has %llu triangles, more than the %llu the kernel supports.", argument,
                    (unsigned long long)mesh->triangle_count, (unsigned long long)MF_MAX_TRIANGLES);
    return MF_OK;
}

int32_t check_positions(const mf_mesh *mesh, const char *argument, MeshView &view, mf_error *error) {
    if (mesh->position_type != MF_POSITIONS_FLOAT32 && mesh->position_type != MF_POSITIONS_FLOAT64)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "%s.position_type is %u, neither MF_POSITIONS_FLOAT32 (0) nor MF_POSITIONS_FLOAT64 (1).", argument,
                    mesh->position_type);
    const bool float64 = mesh->position_type == MF_POSITIONS_FLOAT64;
    const uint32_t record = float64 ? 24 : 12;
    const uint32_t stride = mesh->position_stride == 0 ? record : mesh->position_stride;
    if (stride < record)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.position_stride is %u bytes, less than the %u bytes of one position.",
                    argument, stride, record);
    view.positions = reinterpret_cast<const unsigned char *>(mesh->positions);
    view.vertex_count = mesh->vertex_count;
    view.stride = stride;
    view.float64 = float64;
    for (uint64_t v = 0; v < view.vertex_count; ++v) {
        Vec3d p = view.position(v);
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
            return fail(error, MF_ERR_INVALID_ARGUMENT, "Vertex %llu of the %s has a non-finite coordinate (%g, %g, %g).",
                        (unsigned long long)v, argument, p.x, p.y, p.z);
        if (!in_float_range(p))
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "Vertex %llu of the %s has a coordinate beyond the supported range of +-3.4e38 (%g, %g, %g).",
                        (unsigned long long)v, argument, p.x, p.y, p.z);
    }
    return MF_OK;
}

int32_t check_indices(const mf_mesh *mesh, const char *argument, MeshView &view, mf_error *error) {
    view.indices = mesh->indices;
    view.triangle_count = mesh->triangle_count;
    for (uint64_t i = 0; i < 3 * view.triangle_count; ++i)
        if (view.indices[i] >= view.vertex_count)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "Triangle %llu of the %s refers to vertex %u, but it has only %llu vertices.",
                        (unsigned long long)(i / 3), argument, view.indices[i], (unsigned long long)view.vertex_count);
    return MF_OK;
}

int32_t check_attributes(const mf_mesh *mesh, const char *argument, MeshView &view, mf_error *error) {
    if (mesh->attribute_count > MF_MAX_ATTRIBUTES)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.attribute_count is %u, more than the %u floats a vertex the kernel carries.",
                    argument, mesh->attribute_count, unsigned(MF_MAX_ATTRIBUTES));
    if (mesh->attribute_count > 0 && mesh->vertex_count > 0 && mesh->attributes == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.attributes is null but %s.attribute_count is %u.", argument,
                    argument, mesh->attribute_count);
    const uint32_t record = 4 * mesh->attribute_count;
    const uint32_t stride = mesh->attribute_stride == 0 ? record : mesh->attribute_stride;
    if (stride < record)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s.attribute_stride is %u bytes, less than the %u bytes of %u floats.",
                    argument, stride, record, mesh->attribute_count);
    view.attributes = reinterpret_cast<const unsigned char *>(mesh->attributes);
    view.attribute_count = mesh->attribute_count;
    view.attribute_stride = stride;
    for (uint64_t v = 0; v < view.vertex_count && view.attribute_count > 0; ++v)
        for (uint32_t k = 0; k < view.attribute_count; ++k)
            if (!std::isfinite(view.attribute(v, k)))
                return fail(error, MF_ERR_INVALID_ARGUMENT, "Attribute %u of vertex %llu of the %s is not finite.", k,
                            (unsigned long long)v, argument);
    return MF_OK;
}

} // namespace

void clear_error(mf_error *error) {
    if (error != nullptr) {
        error->code = MF_OK;
        error->message[0] = '\0';
    }
}

int32_t validate_mesh(const mf_mesh *mesh, const char *argument, MeshView &view, mf_error *error) {
    if (mesh == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "The %s is null.", argument);
    view = MeshView{};
    if (int32_t s = check_buffers(mesh, argument, error); s != MF_OK) return s;
    if (int32_t s = check_positions(mesh, argument, view, error); s != MF_OK) return s;
    if (int32_t s = check_indices(mesh, argument, view, error); s != MF_OK) return s;
    return check_attributes(mesh, argument, view, error);
}

int32_t check_options_size(uint32_t size, uint32_t expected, const char *type, mf_error *error) {
    if (size == expected) return MF_OK;
    return fail(error, MF_ERR_INVALID_ARGUMENT, "options.size is %u, but this kernel expects sizeof(%s) = %u.", size,
                type, expected);
}

int32_t check_time_limit(double seconds, mf_error *error) {
    if (!std::isnan(seconds) && seconds >= 0) return MF_OK;
    return fail(error, MF_ERR_INVALID_ARGUMENT, "options.time_limit_seconds must be 0 (no limit) or positive, got %g.",
                seconds);
}

int32_t check_memory(uint64_t needed, uint64_t max_memory_bytes, const char *doing, mf_error *error) {
    if (max_memory_bytes == 0 || needed <= max_memory_bytes) return MF_OK;
    return fail(error, MF_ERR_OUT_OF_MEMORY, "%s needs about %.1f MB, more than options.max_memory_bytes allows (%.1f MB).",
                doing, double(needed) / 1048576.0, double(max_memory_bytes) / 1048576.0);
}

} // namespace mf
