// How a material's alpha is interpreted.
package dev.meshforge.core.scene;

/** Alpha ignored (OPAQUE), thresholded at the cutoff (MASK), or blended (BLEND), as in glTF. */
public enum AlphaMode { OPAQUE, MASK, BLEND }
