// Choices a writer honours: text or binary encoding where the format has both.
package dev.meshforge.core.io;

/** @param ascii write the text variant of formats that have one (STL, PLY, FBX) */
public record WriteOptions(boolean ascii) {
    public static final WriteOptions DEFAULTS = new WriteOptions(false);
}
