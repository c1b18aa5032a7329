// What the kernel's simplification made (mf_simplify_result), its index buffer copied into a caller's arena.
package dev.meshforge.core.kernel;

import java.lang.foreign.MemorySegment;

/**
 * @param indices         {@code 3 * triangleCount} uint32 indices into the INPUT's vertices (kept vertices keep their
 *                        positions and attributes unchanged)
 * @param triangleCount   triangles kept
 * @param targetTriangles the count aimed at (0 when only the error bounded the result)
 * @param collapses       edge collapses made
 * @param dropped         input faces with two corners at one position, dropped
 * @param error           the largest geometric error a collapse reached, mesh units
 * @param relativeError   {@code error} over {@code extent}
 * @param attributeError  the largest weighted attribute error of a collapse (root mean square)
 * @param extent          the largest side of the input's bounding box
 * @param stop            why it stopped: {@link #REACHED_TARGET}, {@link #ERROR_BOUND} or {@link #TOPOLOGY}
 */
public record KernelSimplifyResult(MemorySegment indices, long triangleCount, long targetTriangles, long collapses,
                                   long dropped, double error, double relativeError, double attributeError,
                                   double extent, int stop) {
    /** The triangle target was reached. */
    public static final int REACHED_TARGET = 0;
    /** Every collapse left would exceed the error bound. */
    public static final int ERROR_BOUND = 1;
    /** No collapse is left that keeps the surface valid (locked borders or seams, the link condition, flips). */
    public static final int TOPOLOGY = 2;
}
