// Who runs a command: the process itself, or a client of the resident daemon with its own directory and terminal.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Cancellation;

import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a command needs to know about the user who typed it. In-process ({@link #LOCAL}) that is the JVM's own
 * working directory and console. For a call the {@link Daemon} runs for a client, relative paths resolve against the
 * client's working directory, the progress bar draws when the client's stderr is a terminal, and the run stops at
 * its next progress step when the client goes away (Ctrl-C).
 *
 * @param cwd          the client's working directory, or null in-process (the JVM's own is the user's)
 * @param terminal     whether stderr is a terminal (in-process: asked of the console on first use)
 * @param cancellation set when the client has gone
 * @param relativeTyped set once a relative path typed by the client has been resolved
 */
record Caller(Path cwd, Boolean terminal, Cancellation cancellation, AtomicBoolean relativeTyped) {
    /** The command line of this process. */
    static final Caller LOCAL = new Caller(null, null, Cancellation.NEVER, new AtomicBoolean());

    /** A client of the daemon. */
    static Caller client(Path cwd, boolean terminal, Cancellation cancellation) {
        return new Caller(cwd, terminal, cancellation, new AtomicBoolean());
    }

    boolean interactive() {
        return terminal != null ? terminal : System.console() != null && System.console().isTerminal();
    }

    /** A path typed on the command line, as the caller means it. */
    Path resolve(String typed) {
        if (cwd == null) {
            return Path.of(typed);
        }
        Path p = Path.of(typed);
        if (!p.isAbsolute()) {
            relativeTyped.set(true);
        }
        return cwd.resolve(p);
    }

    /**
     * A writer to the caller's stdout or stderr. For a daemon's call, a path resolved against the caller's directory
     * is shown as the caller would see it in-process: relative again (see {@link PathsShownRelative}).
     */
    Writer shown(Writer w) {
        // In the root folder, a path typed relative is shown absolute: there is no prefix to drop but "/".
        return cwd == null || cwd.getNameCount() == 0 ? w
                : new PathsShownRelative(w, cwd.toString() + cwd.getFileSystem().getSeparator(), relativeTyped);
    }
}
