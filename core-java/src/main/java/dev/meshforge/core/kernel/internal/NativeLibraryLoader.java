// Finds the kernel library: an override path, or the copy packed in the jar, extracted once per content checksum.
package dev.meshforge.core.kernel.internal;

import dev.meshforge.core.KernelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Locates {@code libmeshforge_kernel}. Order: the system property {@code meshforge.kernel.library} or the
 * environment variable {@code MESHFORGE_KERNEL_LIBRARY} (a path to the library); else the copy inside the
 * jar under {@code natives/<os>-<arch>/}, extracted to {@code <cache>/natives/<os>-<arch>-<checksum>/} under a
 * file lock, where {@code <cache>} is {@code meshforge.cache.dir}, {@code $XDG_CACHE_HOME/meshforge} or
 * {@code ~/.cache/meshforge}, and the checksum is the library's CRC-32C, CRC-32 and length. An extracted copy is
 * reused, never rewritten, when its bytes equal the packed library's (compared in full, so the checksum only names
 * the folder). Checksums rather than SHA-256: a fresh JVM hashed the 0.8 MiB library twice in interpreted code, 0.26
 * to 0.58 s of every short command's start on a loaded machine, where the checksums and the comparison are
 * intrinsics (about 2 ms).
 */
public final class NativeLibraryLoader {
    private NativeLibraryLoader() {
    }

    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : os.contains("win")
                ? "windows" : os.replace(' ', '_');
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }

    static String fileName() {
        String p = platform();
        if (p.startsWith("windows")) {
            return "meshforge_kernel.dll";
        }
        return p.startsWith("darwin") ? "libmeshforge_kernel.dylib" : "libmeshforge_kernel.so";
    }

    /** The path of a loadable kernel library on this machine. */
    public static Path locate() {
        String override = System.getProperty("meshforge.kernel.library", System.getenv("MESHFORGE_KERNEL_LIBRARY"));
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new KernelException(-1, "the kernel library named by meshforge.kernel.library / "
                        + "MESHFORGE_KERNEL_LIBRARY does not exist: " + p);
            }
            return p;
        }
        String resource = "natives/" + platform() + "/" + fileName();
        byte[] bytes;
        try (InputStream in = NativeLibraryLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new KernelException(-1, "this meshforge build has no kernel for " + platform()
                        + " (looked for " + resource + " on the class path); build it with Maven on this platform");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new KernelException("could not read the kernel library " + resource + ": " + e.getMessage(), e);
        }
        return extract(bytes);
    }

    private static Path extract(byte[] bytes) {
        Path dir = dev.meshforge.core.CacheDirectory.root().resolve("natives").resolve(platform() + "-"
                + checksum(bytes));
        Path target = dir.resolve(fileName());
        try {
            Files.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
                if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                        && Arrays.equals(Files.readAllBytes(target), bytes)) {
                    return target;
                }
                Path tmp = Files.createTempFile(dir, "kernel", ".tmp");
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return target;
            }
        } catch (IOException e) {
            throw new KernelException("could not extract the kernel library to " + dir + " (" + e.getMessage()
                    + "); set -Dmeshforge.cache.dir to a writable directory", e);
        }
    }

    /** CRC-32C, CRC-32 and length in hex: a folder name that differs between builds of the library. */
    static String checksum(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        CRC32 d = new CRC32();
        d.update(bytes);
        return Long.toHexString(c.getValue() << 32 | d.getValue()) + "-" + Integer.toHexString(bytes.length);
    }
}
