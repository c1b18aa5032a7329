// Scene buffers that the reader fills completely, taken from malloc without the zeroing an arena does.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link Scene#allocateFloats} zeroes what it allocates with a memset; a vertex buffer that the binary body then
 * overwrites whole (every record converted, every component of every row written) needs none, and where malloc hands
 * back memory an earlier read freed, that memset is a pass over the buffer for nothing. Buffers from 1 MiB up to
 * {@link KernelPages#MIN_BYTES} come from malloc here, freed when the scene's arena closes; larger ones are the
 * scene's own (fresh pages, zeroed once by the kernel) and smaller ones too (binding malloc and free would cost a
 * small read more than it saves).
 */
final class FilledBuffers {
    private static final long MIN_BYTES = 1L << 20;

    private FilledBuffers() {
    }

    /** A buffer of {@code count} floats owned by {@code scene}, contents undefined: the caller writes every one. */
    static MemorySegment floats(Scene scene, long count) {
        long bytes = count * Float.BYTES;
        if (bytes < MIN_BYTES || bytes > KernelPages.MIN_BYTES || !Libc.AVAILABLE) {
            return scene.allocateFloats(count);
        }
        MemorySegment at = Libc.malloc(bytes);
        if (at.address() == 0) {
            return scene.allocateFloats(count);
        }
        return at.reinterpret(bytes, scene.arena(), Libc::free);
    }

    /** malloc and free, bound on first use. */
    private static final class Libc {
        static final boolean AVAILABLE;
        private static final MethodHandle MALLOC;
        private static final MethodHandle FREE;

        static {
            MethodHandle malloc = null;
            MethodHandle free = null;
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                malloc = linker.downcallHandle(libc.find("malloc").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                free = linker.downcallHandle(libc.find("free").orElseThrow(),
                        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            } catch (RuntimeException | Error unavailable) {
                malloc = null;
            }
            AVAILABLE = malloc != null;
            MALLOC = malloc;
            FREE = free;
        }

        static MemorySegment malloc(long bytes) {
            try {
                return (MemorySegment) MALLOC.invokeExact(bytes);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("malloc failed", t);
            }
        }

        static void free(MemorySegment at) {
            try {
                FREE.invokeExact(at);
            } catch (Throwable t) {
                throw new IllegalStateException("free failed", t);
            }
        }
    }
}
