// A turntable as an H.264 MP4, encoded by the ffmpeg program where it is installed: frames are piped to it as raw
// RGB as the views are rendered, so that no frame needs to stay in memory.
package dev.meshforge.render.internal;

import dev.meshforge.render.Background;
import dev.meshforge.render.RgbaImage;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * MP4 has no alpha: frames are composed over the solid background, or white (as the GIF's are). A full turn takes
 * four seconds, as in the GIF. yuv420p (what every player decodes) needs even sides: an odd one is padded by a row
 * or column of the backdrop colour.
 */
public final class TurntableVideo implements AutoCloseable {
    private final Path file;
    private final Path partial;
    private final Path log;
    private final Process ffmpeg;
    private final OutputStream pipe;
    private final int[] backdrop;
    private final byte[] row;

    private TurntableVideo(Path file, Path ffmpegProgram, Background bg, int width, int height, int frames)
            throws IOException {
        this.file = file;
        this.partial = file.resolveSibling(file.getFileName() + ".part.mp4");
        this.log = Files.createTempFile("meshforge-ffmpeg", ".log");
        this.backdrop = OpaqueFrame.backdrop(bg);
        this.row = new byte[width * 3];
        Files.deleteIfExists(partial);
        String pad = String.format(Locale.ROOT, "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=0x%02x%02x%02x", backdrop[0],
                backdrop[1], backdrop[2]);
        List<String> command = List.of(ffmpegProgram.toString(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", width + "x" + height, "-framerate", frames + "/4",
                "-i", "-", "-vf", pad, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                partial.toString());
        ffmpeg = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        pipe = ffmpeg.getOutputStream();
    }

    /**
     * Starts ffmpeg writing {@code file}, or returns null where no {@code ffmpeg} program is on the PATH.
     *
     * @throws UncheckedIOException where ffmpeg is there but cannot be started
     */
    public static TurntableVideo start(Path file, Background bg, int width, int height, int frames) {
        Path program = program();
        if (program == null) {
            return null;
        }
        try {
            return new TurntableVideo(file, program, bg, width, height, frames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + program + " to write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The ffmpeg program on the PATH, or null. */
    public static Path program() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "ffmpeg");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    public void add(RgbaImage frame) {
        int[] rgb = OpaqueFrame.rgb(frame, backdrop);
        try {
            for (int y = 0; y < frame.height(); y++) {
                for (int x = 0; x < frame.width(); x++) {
                    int c = rgb[y * frame.width() + x];
                    row[x * 3] = (byte) (c >> 16);
                    row[x * 3 + 1] = (byte) (c >> 8);
                    row[x * 3 + 2] = (byte) c;
                }
                pipe.write(row);
            }
        } catch (IOException e) {
            // ffmpeg stopped reading: it failed, and its log says why.
            throw new UncheckedIOException("ffmpeg could not write " + file + ": " + failure(), e);
        }
    }

    /** Ends the stream, waits for ffmpeg and moves the file into place. */
    public Path finish() {
        try {
            pipe.close();
            if (!ffmpeg.waitFor(120, TimeUnit.SECONDS)) {
                throw new UncheckedIOException(new IOException("ffmpeg did not finish " + file + " within 120 s"));
            }
            if (ffmpeg.exitValue() != 0) {
                throw new UncheckedIOException(new IOException("ffmpeg could not write " + file + ": " + failure()));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("ffmpeg could not write " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while ffmpeg wrote " + file));
        } finally {
            close();
        }
    }

    private String failure() {
        try {
            ffmpeg.waitFor(10, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "exit status " + (ffmpeg.isAlive() ? "unknown" : ffmpeg.exitValue())
                    : lines.getLast().strip();
        } catch (IOException e) {
            return "its log could not be read (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Stops ffmpeg if it still runs and removes what is left of an unfinished file. */
    @Override
    public void close() {
        try {
            pipe.close();
        } catch (IOException ignored) {
            // ffmpeg has gone already
        }
        if (ffmpeg.isAlive()) {
            ffmpeg.destroyForcibly();
        }
        try {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover temporary file is all that remains
        }
    }
}
