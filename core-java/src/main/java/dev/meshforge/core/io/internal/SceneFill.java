// The prologue every reader shares: map the file, refuse an empty one, fill a new scene, close it on failure.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** How a reader hands back a filled scene or nothing: a scene whose filling fails is closed before the error leaves. */
public final class SceneFill {
    private SceneFill() {
    }

    /** Fills {@code scene}; {@code E} is what it may throw besides unchecked exceptions. */
    @FunctionalInterface
    public interface Body<E extends Exception> {
        void fill(Scene scene) throws E;
    }

    /** Fills {@code scene} from the bytes of a mapped file. */
    @FunctionalInterface
    public interface MappedBody {
        /**
         * Fills {@code scene} from {@code data}; {@code arena} owns those bytes until the read ends, and may hold what
         * the body needs as long (STL's second half's positions).
         */
        void fill(MemorySegment data, Scene scene, Arena arena) throws IOException;
    }

    /** {@code scene} once {@code body} has filled it; closed, and the error passed on, where it fails. */
    public static <E extends Exception> Scene fillOrClose(Scene scene, Body<E> body) throws E {
        try {
            body.fill(scene);
            return scene;
        } catch (Exception | Error e) {
            scene.close();
            throw e;
        }
    }

    /**
     * The whole of {@code ch} for the life of {@code arena}. A file of more than 16 MiB is read into a buffer of
     * huge pages ({@link KernelPages#overwritten}; the read overwrites it up to the file's end): a reader that converts
     * every byte (STL, PLY, FBX, OBJ) spent about a quarter more CPU reading out of a mapping of the file's 4 KiB
     * pages (a 2M-triangle PLY 53-61 against 41-42 ms in thread CPU). Where no such buffer can be had, the file is
     * {@link #mapped}. glTF and GLB, whose work is mostly copying ranges out, use {@link #mapped} itself.
     */
    public static MemorySegment map(FileChannel ch, Arena arena) throws IOException {
        return map(ch, arena, false);
    }

    /**
     * As {@link #map(FileChannel, Arena)}; where {@code halves} ({@code arena} shared, and a second processor to
     * give), a file read into huge pages is read in two halves at once, the later on the common pool
     * ({@link TwoHalves}): the copy out of the page cache is a pass over every byte, and its two halves' pages are
     * apart. What is handed back is what the reads wrote from the start without a gap: where the file shrank
     * meanwhile, up to where it ends now.
     */
    public static MemorySegment map(FileChannel ch, Arena arena, boolean halves) throws IOException {
        long size = ch.size();
        if (size > KernelPages.MIN_BYTES) {
            // Not scrubbed: the reads below overwrite it, and only what they wrote is handed on (sliced to it).
            MemorySegment whole = KernelPages.overwritten(arena, size);
            if (whole != null) {
                if (!halves) {
                    return whole.asSlice(0, readInto(ch, whole, 0, size));
                }
                long half = (size / 2) & -KernelPages.HUGE_PAGE; // whole huge pages to each half: at least 8 MiB
                try {
                    TwoHalves.Results<Long> ends = TwoHalves.run(() -> readInto(ch, whole, 0, half),
                            () -> readInto(ch, whole, half, size));
                    return whole.asSlice(0, ends.first() < half ? ends.first() : ends.later());
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        }
        return mapped(ch, arena);
    }

    /**
     * Reads {@code ch} from byte {@code from} into the same bytes of {@code into} up to {@code to} or the file's
     * end: where the reads ended.
     */
    private static long readInto(FileChannel ch, MemorySegment into, long from, long to) {
        long at = from;
        try {
            while (at < to) {
                // A window at a time: a ByteBuffer holds at most 2 GiB.
                int n = ch.read(into.asSlice(at, Math.min(to - at, 1L << 30)).asByteBuffer(), at);
                if (n < 0) {
                    break; // the file shrank meanwhile: what it holds now
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return at;
    }

    /**
     * The whole of {@code ch}, mapped read-only for the life of {@code arena}, a large file's pages all mapped at once
     * ({@link KernelPages#populate}). For a reader whose work is mostly copying ranges of the file out (glTF, GLB):
     * reading the file into a buffer first would be one copy more.
     */
    public static MemorySegment mapped(FileChannel ch, Arena arena) throws IOException {
        long size = ch.size();
        MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        if (size > KernelPages.MIN_BYTES) {
            KernelPages.populate(data);
        }
        return data;
    }

    /**
     * Maps {@code file} read-only for the time of the read, in a confined arena, and fills {@code scene} from its
     * bytes; an empty file is refused as not being {@code what} ("a PLY file").
     */
    public static Scene fillMapped(Path file, String what, Scene scene, MappedBody body) throws IOException {
        return fillMapped(file, what, scene, false, body);
    }

    /**
     * As {@link #fillMapped(Path, String, Scene, MappedBody)}, the bytes in a shared arena where {@code shared}: for a
     * body that hands ranges of them to other threads (STL welds a large file's halves at once, PLY a large file's
     * vertex and triangle records), which must have joined them before it returns or throws; a large file is then read
     * in two halves at once too ({@link #map(FileChannel, Arena, boolean)}), where there is a second processor. A read
     * on one thread keeps the confined arena: a 2M-triangle PLY read on one thread took 2-10 ms more thread CPU with
     * its bytes in a shared one (58-78 against 53-67 ms, three same-minute pairs on a loaded machine).
     */
    public static Scene fillMapped(Path file, String what, Scene scene, boolean shared, MappedBody body)
            throws IOException {
        boolean halves = shared && Runtime.getRuntime().availableProcessors() >= 2;
        return SceneFill.<IOException>fillOrClose(scene, s -> {
            try (Arena mapArena = shared ? Arena.ofShared() : Arena.ofConfined();
                 FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size == 0) {
                    throw new BadInputException(file, "is empty (0 bytes), not " + what);
                }
                body.fill(map(ch, mapArena, halves), s, mapArena);
            }
        });
    }
}
