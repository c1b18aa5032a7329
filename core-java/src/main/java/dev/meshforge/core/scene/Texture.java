// An image as the source file had it: encoded bytes and their MIME type, never decoded unless needed.
package dev.meshforge.core.scene;

/**
 * A texture image kept as encoded bytes (PNG, JPEG, KTX2, ...) so that writers can pass it through unchanged.
 *
 * @param name     a file name to use when the image is written beside a model
 * @param mimeType e.g. image/png
 * @param bytes    the encoded image
 */
public record Texture(String name, String mimeType, byte[] bytes) {
}
