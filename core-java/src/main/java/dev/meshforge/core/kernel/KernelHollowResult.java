// What the kernel's hollowing returns: the hollowed geometry (copied into the caller's arena) and its account.
package dev.meshforge.core.kernel;

import dev.meshforge.core.inspect.MeshReport;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * @param positions       float32 xyz, {@code vertexCount} records; null when nothing was thick enough to hollow
 * @param indices         uint32, 3 a triangle (null likewise)
 * @param holeOpenings    where each hole leaves the outer surface, xyz
 * @param cavities        hollow regions made
 * @param cavitiesDrained of them, reached from outside through the holes (a flood fill on the carved grid)
 * @param remeshed        true when the whole solid was contoured (holes cut), false when the input is kept as the
 *                        outer shell with the cavities' shells added inside
 * @param minWall         measured least distance from the inner surface to the input's surface
 * @param innerOffset     how deep the inner surface was placed (the wall or a little more)
 * @param cellSize        the grid's cell edge
 * @param after           inspect of the result (of the input when nothing was hollowed)
 */
public record KernelHollowResult(MemorySegment positions, long vertexCount, MemorySegment indices, long triangleCount,
                                 List<double[]> holeOpenings, int cavities, int cavitiesDrained, boolean remeshed,
                                 double volumeBefore, double volumeAfter, double minWall, double innerOffset,
                                 double cellSize, long innerTriangles, MeshReport after) {
    public boolean hollowed() {
        return positions != null;
    }
}
