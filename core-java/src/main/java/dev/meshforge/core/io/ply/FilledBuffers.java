// Scene buffers that the reader fills completely, taken without the zeroing an arena does.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.MemorySegment;

/**
 * {@link Scene#allocateFloats} zeroes what it allocates with a memset; a vertex buffer that the binary body then
 * overwrites whole (every record converted, every component of every row written) needs none, and where malloc hands
 * back memory an earlier read freed, that memset is a pass over the buffer for nothing. Buffers from 1 MiB up come
 * from {@link KernelPages#allocateUnzeroed} (freed when the scene's arena closes); smaller ones are the scene's own
 * (a native call costs a small read more than the memset it saves).
 */
final class FilledBuffers {
    private static final long MIN_BYTES = 1L << 20;

    private FilledBuffers() {
    }

    /** A buffer of {@code count} floats owned by {@code scene}, contents undefined: the caller writes every one. */
    static MemorySegment floats(Scene scene, long count) {
        long bytes = count * Float.BYTES;
        MemorySegment at = bytes >= MIN_BYTES ? KernelPages.allocateUnzeroed(scene.arena(), bytes) : null;
        return at != null ? at : scene.allocateFloats(count);
    }
}
