// Inflates zlib streams of known size with the system's libdeflate, when it has one, through java.lang.foreign.
package dev.meshforge.core.io.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/**
 * libdeflate (shared library {@code libdeflate.so.0}, Debian's {@code libdeflate0}) inflates a whole zlib stream
 * into a buffer of known size about twice as fast as zlib's streaming inflate, which {@link java.util.zip.Inflater}
 * wraps. Readers that know an array's inflated size (FBX) try it first and keep their {@code Inflater} path for
 * everything it does not accept: {@link #inflate} answers true only when the stream inflates to exactly the
 * buffer's size and ends with a correct checksum, so a false answer leaves the verdict (and its message) to the
 * reader's own inflation, and the bytes of an accepted stream are the ones zlib gives. Without the library (another
 * system, or {@code -Dmeshforge.libdeflate=false}) {@link #available} is false and nothing changes.
 *
 * <p>The buffers are Java arrays passed in place (a critical downcall with heap access): no copy and no
 * off-heap buffer of the array's size. On a big-endian machine the arrays' element bytes differ from the files'
 * little-endian ones, so the fast path is off there.
 */
public final class LibDeflate {
    private static final MethodHandle ALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle ZLIB;

    static {
        MethodHandle alloc = null;
        MethodHandle free = null;
        MethodHandle zlib = null;
        if (!"false".equals(System.getProperty("meshforge.libdeflate"))
                && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            SymbolLookup lib = open();
            if (lib != null) {
                Linker linker = Linker.nativeLinker();
                var a = lib.find("libdeflate_alloc_decompressor");
                var f = lib.find("libdeflate_free_decompressor");
                var z = lib.find("libdeflate_zlib_decompress");
                if (a.isPresent() && f.isPresent() && z.isPresent()) {
                    alloc = linker.downcallHandle(a.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
                    free = linker.downcallHandle(f.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
                    // enum libdeflate_result (d, in, in_nbytes, out, out_nbytes_avail, size_t *actual_out): with
                    // a null actual_out the stream must inflate to exactly out_nbytes_avail bytes.
                    zlib = linker.downcallHandle(z.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                            Linker.Option.critical(true));
                }
            }
        }
        ALLOC = alloc;
        FREE = free;
        ZLIB = zlib;
    }

    private LibDeflate() {
    }

    private static SymbolLookup open() {
        for (String name : new String[] {"libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib"}) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException absent) {
                // not this name, or native access not granted: try the next, then go without
            }
        }
        return null;
    }

    /** Whether the library was found (and is not turned off). */
    public static boolean available() {
        return ZLIB != null;
    }

    /**
     * Inflates the zlib stream {@code in[from, from + length)} into the whole of {@code out} (a segment of a Java
     * array or off the heap). True when the stream is valid and inflates to exactly {@code out}'s size; false
     * otherwise, or without the library, and {@code out}'s contents are then undefined.
     */
    public static boolean inflate(byte[] in, int from, int length, MemorySegment out) {
        return inflate(MemorySegment.ofArray(in).asSlice(from, length), out);
    }

    /** As {@link #inflate(byte[], int, int, MemorySegment)}, the stream being the whole of {@code in}. */
    public static boolean inflate(MemorySegment in, MemorySegment out) {
        if (ZLIB == null) {
            return false;
        }
        try {
            MemorySegment d = (MemorySegment) ALLOC.invokeExact();
            if (d.equals(MemorySegment.NULL)) {
                return false;
            }
            try {
                int result = (int) ZLIB.invokeExact(d, in, in.byteSize(), out, out.byteSize(), MemorySegment.NULL);
                return result == 0;
            } finally {
                FREE.invokeExact(d);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate call failed", t);
        }
    }
}
