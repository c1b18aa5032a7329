// One rendered view: where it went (or its pixels) and the camera that took it.
package dev.meshforge.render;

/**
 * @param view           the view
 * @param file           the PNG written, or null when the render kept images in memory
 * @param image          the pixels when kept in memory, else null
 * @param viewProjection the camera's world-to-clip matrix, 16 floats column-major (OpenGL clip space: the image
 *                       spans -1..1 in x and y, y up), for checks that project the scene themselves
 */
public record RenderedView(View view, java.nio.file.Path file, RgbaImage image, float[] viewProjection) {
}
