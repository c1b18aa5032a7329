// A writer that drops the caller's directory from the paths it prints, for the daemon's calls.
package dev.meshforge.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The daemon resolves the paths a caller typed against the caller's working directory (its own cannot change), so a
 * report, a warning or an error would name {@code /home/u/models/cube.obj} where the same command run in-process
 * names {@code models/cube.obj}. Where the caller typed a relative path, this writer removes the directory's prefix
 * from each line it passes on, at every line end, carriage return (the progress bar) and flush. An absolute path the
 * caller typed beside a relative one, inside the caller's directory, is shown relative too.
 */
final class PathsShownRelative extends Writer {
    private final Writer out;
    private final String prefix;
    private final AtomicBoolean relativeTyped;
    private final StringBuilder line = new StringBuilder();

    PathsShownRelative(Writer out, String prefix, AtomicBoolean relativeTyped) {
        this.out = out;
        this.prefix = prefix;
        this.relativeTyped = relativeTyped;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            line.append(c);
            if (c == '\n' || c == '\r') {
                emit();
            }
        }
    }

    private void emit() throws IOException {
        int at;
        while (relativeTyped.get() && (at = line.indexOf(prefix)) >= 0) {
            line.delete(at, at + prefix.length());
        }
        out.write(line.toString());
        line.setLength(0);
    }

    @Override
    public void flush() throws IOException {
        emit();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
