// The prologue every reader shares: map the file, refuse an empty one, fill a new scene, close it on failure.
package dev.meshforge.core.io.internal;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.internal.KernelPages;

import java.io.IOException;
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
        void fill(MemorySegment data, Scene scene) throws IOException;
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
     * The whole of {@code ch}, mapped read-only for the life of {@code arena}. A large file's pages are all mapped
     * at once ({@link KernelPages#populate}): a reader reads every byte, and a fault every few pages cost a
     * 2M-triangle PLY or STL read about a tenth of its time.
     */
    public static MemorySegment map(FileChannel ch, Arena arena) throws IOException {
        long size = ch.size();
        MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        if (size > KernelPages.MIN_BYTES) {
            KernelPages.populate(data);
        }
        return data;
    }

    /**
     * Maps {@code file} read-only for the time of the read and fills {@code scene} from its bytes; an empty file is
     * refused as not being {@code what} ("an STL file").
     */
    public static Scene fillMapped(Path file, String what, Scene scene, MappedBody body) throws IOException {
        return SceneFill.<IOException>fillOrClose(scene, s -> {
            try (Arena mapArena = Arena.ofConfined();
                 FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size == 0) {
                    throw new BadInputException(file, "is empty (0 bytes), not " + what);
                }
                body.fill(map(ch, mapArena), s);
            }
        });
    }
}
