// What the kernel's repair returns: the new geometry (copied into the caller's arena) and its account.
package dev.meshforge.core.kernel;

import dev.meshforge.core.inspect.MeshReport;

import java.lang.foreign.MemorySegment;

/**
 * @param stage          0 unchanged (no geometry: keep the input), 1 topological (input vertices kept), 2 volumetric
 * @param positions      float32 xyz, {@code vertexCount} records (null when unchanged)
 * @param indices        uint32, 3 a triangle (null when unchanged)
 * @param attributes     {@code attributeCount} floats a vertex, packed (null when none were passed or unchanged)
 * @param hausdorffOutIn largest sampled distance from output to input, as a fraction of the input's bbox diagonal
 * @param hausdorffInOut the same from input to output
 * @param hausdorffOutInPatched largest sampled distance from output to the input together with the topological
 *                              stage's hole patches (equal to {@code hausdorffOutIn} where no hole was filled)
 * @param lost           largest distance from a point of the input surface outside the output solid to the output,
 *                       as a fraction of the input's bbox diagonal (0 when unchanged, -1 when not measured)
 * @param lostArea       the share of the input's area outside the output farther than 0.5% of the diagonal
 */
public record KernelRepairResult(int stage, MemorySegment positions, long vertexCount, MemorySegment indices,
                                 long triangleCount, MemorySegment attributes, int attributeCount,
                                 MeshReport before, MeshReport after, long verticesWelded, long facesRemoved,
                                 long facesFlipped, long holesFilled, long holeTriangles, long smallPartsRemoved,
                                 long partsMerged, int resolution, boolean simplified, double hausdorffOutIn,
                                 double hausdorffInOut, double hausdorffOutInPatched,
                                 double lost, double lostArea) {
}
