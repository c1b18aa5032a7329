// An image as the source file had it: encoded bytes and their MIME type, never decoded unless needed.
package dev.meshforge.core.scene;

/**
 * A texture image kept as encoded bytes (PNG, JPEG, KTX2, ...) so that writers can pass it through unchanged.
 * Textures sharing one image share one {@code bytes} array. An image the reader could not find has no bytes.
 *
 * @param name     a file name to use when the image is written beside a model
 * @param mimeType e.g. image/png
 * @param bytes    the encoded image
 * @param sampler  filtering and wrapping
 */
public record Texture(String name, String mimeType, byte[] bytes, Sampler sampler) {

    public Texture {
        sampler = sampler == null ? Sampler.DEFAULT : sampler;
    }

    public Texture(String name, String mimeType, byte[] bytes) {
        this(name, mimeType, bytes, Sampler.DEFAULT);
    }

    /**
     * Filters and wrap modes as OpenGL enums (glTF's values): 9728 NEAREST, 9729 LINEAR, 9984..9987 mipmap
     * filters, 33071 CLAMP_TO_EDGE, 33648 MIRRORED_REPEAT, 10497 REPEAT. A filter of 0 is unspecified.
     */
    public record Sampler(int magFilter, int minFilter, int wrapS, int wrapT) {
        public static final Sampler DEFAULT = new Sampler(0, 0, 10497, 10497);

        public boolean isDefault() {
            return equals(DEFAULT);
        }
    }
}
