// The resident JVM the launcher hands short commands to, so that a command line call pays no JVM start-up.
package dev.meshforge.cli;

import dev.meshforge.core.ops.Cancellation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Daemon STATE IDLE_SECONDS}: listens on a loopback port and runs the tool commands its clients (the launcher,
 * scripts/daemon.sh) send, each on a thread of its own, until it has been idle for IDLE_SECONDS, is told to stop, or
 * finds that it no longer matches what the launcher would start (a rebuilt class path, another daemon in its state
 * file). STATE (created 0600 in a 0700 folder) holds the port, a random token that a client must send, and the pid.
 *
 * <p>A request is NUL-terminated fields: {@code meshforge-daemon-1}, the token, the operation ({@code run} or {@code
 * stop}), the client's pid, its working directory, {@code 1} when its stderr is a terminal, the Java home the client
 * would run, the client's descriptors of its stdout and its stderr, a count and that many {@code NAME=value}
 * environment entries, a count and that many arguments. The reply is one line: {@code ok} (the call runs), or {@code
 * no REASON} (the client runs the command itself); after {@code ok}, {@code exit N BYTES ERRBYTES} when the command
 * has ended, followed by BYTES and then ERRBYTES bytes of relayed output. The command's output goes straight to the
 * client's stdout and stderr, opened through {@code /proc/PID/fd} (same user; Linux only), except for a descriptor
 * sent as {@code r} or {@code e}: what the command writes to an {@code r} (both streams, in the order written, where
 * both are {@code r}: one file) makes the BYTES, what it writes to stderr sent as {@code e} (stdout and stderr in two
 * files) the ERRBYTES, and the client copies them to its own descriptors. The client asks for that where its stdout or stderr is a regular
 * file or a socket: a second opening of a file through /proc would write at an offset of its own, not the caller's
 * (so that {@code { a; meshforge ...; b; } >f} would lose output), and a socket cannot be opened there at all.
 * A client that closes the connection before the end cancels the call at its next progress step.
 *
 * <p>Buffers a closed scene left for reuse stay zeroed for the next call (the default; {@code Main.main} is not run
 * here): one user's calls, but the one process where a reused buffer holds an earlier file, and switching it off
 * saved no measurable CPU a call (ARCHITECTURE.md, "Reused memory and accounts").
 */
final class Daemon {
    static final String MAGIC = "meshforge-daemon-2";
    /**
     * The environment a call must share with the daemon to run there: what the JVM, the kernel's loader and the
     * crash reports read. The launcher's own switches (MESHFORGE_DAEMON*, MESHFORGE_SHORT, MESHFORGE_AOT) are not
     * part of it.
     */
    private static final List<String> SHARED_ENV = List.of("XDG_CACHE_HOME", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", "HOME", "LANG", "LC_ALL", "LC_CTYPE");
    /**
     * The encoding of the command's output: the one an in-process run's System.out has under the same locale (the
     * locale variables are part of {@link #SHARED_ENV}).
     */
    private static final Charset OUTPUT = Charset.forName(System.getProperty("stdout.encoding", ""),
            StandardCharsets.UTF_8);

    private final Path state;
    private final long idleNanos;
    private final String token;
    private final Map<String, String> env = relevant(System.getenv());
    private final Map<Path, Long> classPath = classPathStamps();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastCall = new AtomicLong(System.nanoTime());
    /** The last call after which the watcher collected (once a minute idle). */
    private long collectedAfter;
    private final PrintStream log;
    /** What this daemon wrote to the state file; another daemon's line there means this one is no longer used. */
    private volatile String stateLine = "";
    /**
     * The stdout the daemon was started with, told {@code listening} once the state file is there (the launcher's
     * start points it at /dev/null; a starter that waits for the daemon may read it).
     */
    private final PrintStream starter;

    private Daemon(Path state, long idleSeconds, PrintStream log, PrintStream starter) {
        this.state = state;
        this.idleNanos = idleSeconds * 1_000_000_000L;
        byte[] t = new byte[16];
        new SecureRandom().nextBytes(t);
        this.token = HexFormat.of().formatHex(t);
        this.log = log;
        this.starter = starter;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Daemon STATE IDLE_SECONDS");
            System.exit(2);
        }
        Path state = Path.of(args[0]).toAbsolutePath();
        Path dir = state.getParent();
        Files.createDirectories(dir,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PrintStream log = new PrintStream(new FileOutputStream(state + ".log", true), true, StandardCharsets.UTF_8);
        PrintStream starter = System.out;
        System.setOut(log);
        System.setErr(log);
        new Daemon(state, Long.parseLong(args[1]), log, starter).serve();
    }

    private void serve() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            stateLine = server.getLocalPort() + " " + token + " " + ProcessHandle.current().pid() + "\n";
            Path tmp = state.resolveSibling(state.getFileName() + "." + ProcessHandle.current().pid());
            Files.writeString(tmp, "", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tmp, stateLine, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(state.resolveSibling(state.getFileName() + ".starting"));
            log.println(Instant.now() + " listening on " + server.getLocalPort() + ", idle limit "
                    + idleNanos / 1_000_000_000L + " s");
            starter.println("listening");
            starter.close(); // the JVM points descriptor 1 at /dev/null: the launcher's read ends
            Thread.ofPlatform().daemon().name("meshforge-daemon-watch").start(this::watch);
            Thread.ofPlatform().daemon().name("meshforge-daemon-warm").start(this::warm);
            while (true) {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().name("meshforge-call").start(() -> call(s));
            }
        }
    }

    /**
     * Rounds of the short commands that a new daemon runs on a cube of its own before its clients' first calls. Its
     * first call took 190-220 ms against 25-30 ms for the calls after it (`meshforge inspect` of a cube through the
     * launcher): classes initialised, the kernel's functions linked, picocli's and the tools' paths run for the first
     * time. The rounds after the first let the JIT compile those paths, as a client's next calls would.
     */
    static final int WARM_ROUNDS = 10;

    /**
     * Runs {@link #WARM_ROUNDS} rounds of inspect and convert in a folder beside the state file, which it deletes
     * after, their output dropped; it waits while a client's call runs, so that the warm-up never delays one by more
     * than the command it has begun.
     */
    private void warm() {
        Path dir = state.resolveSibling("warm-" + ProcessHandle.current().pid());
        List<String[]> calls = List.of(new String[]{"inspect", "cube.obj"},
                new String[]{"inspect", "cube.obj", "--json"},
                new String[]{"convert", "cube.obj", "cube.glb", "--quiet"},
                new String[]{"convert", "cube.obj", "cube.stl", "--quiet"});
        long t0 = System.nanoTime();
        int ran = 0;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cube.obj"), AotTrainingCommand.CUBE, StandardCharsets.UTF_8);
            for (int round = 0; round < WARM_ROUNDS; round++) {
                for (String[] call : calls) {
                    while (running.get() > 0) {
                        Thread.sleep(20);
                    }
                    int code = Main.run(Caller.client(dir, false, Cancellation.NEVER), Writer.nullWriter(),
                            Writer.nullWriter(), call);
                    if (code != 0) {
                        throw new IllegalStateException(String.join(" ", call) + " ended with " + code);
                    }
                    ran++;
                }
            }
            log.println(Instant.now() + " warmed: " + ran + " calls in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.println(Instant.now() + " warm-up stopped after " + ran + " calls: " + e);
        } finally {
            try {
                if (Files.exists(dir)) {
                    AotTrainingCommand.deleteTree(dir);
                }
            } catch (IOException | UncheckedIOException e) {
                log.println(Instant.now() + " the warm-up folder " + dir + " stays: " + e.getMessage());
            }
        }
    }

    /** Ends the process when idle for too long, when the state file names another daemon, or when the jars changed. */
    private void watch() {
        while (true) {
            try {
                Thread.sleep(Math.min(10_000L, Math.max(idleNanos / 1_000_000L / 4, 100)));
            } catch (InterruptedException e) {
                return;
            }
            String why = null;
            long idle = System.nanoTime() - lastCall.get();
            if (running.get() == 0 && idle > 60_000_000_000L && collectedAfter != lastCall.get()) {
                collectedAfter = lastCall.get();
                System.gc(); // the serial collector then gives the heap of a large call back to the system
            }
            if (running.get() == 0 && idle > idleNanos) {
                why = "idle";
            } else if (!stateLine.equals(read(state))) {
                why = "replaced or removed state file";
            } else if (running.get() == 0 && !classPath.equals(classPathStamps())) {
                why = "class path rebuilt";
            }
            if (why != null) {
                exit(why);
            }
        }
    }

    private void exit(String why) {
        if (stateLine.equals(read(state))) {
            try {
                Files.deleteIfExists(state);
            } catch (IOException ignored) {
                // the next client finds no daemon at the port and starts one
            }
        }
        log.println(Instant.now() + " exit: " + why);
        System.exit(0);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void call(Socket s) {
        running.incrementAndGet();
        try (s) {
            // Anyone on the machine can connect to a loopback port: until the whole request is in, a connection has
            // REQUEST_SECONDS and REQUEST_BYTES, so that a stray or hostile one neither holds a thread (and the idle
            // exit) for ever nor fills the heap.
            s.setSoTimeout(REQUEST_SECONDS * 1000);
            InputStream in = new Bounded(new BufferedInputStream(s.getInputStream()));
            OutputStream reply = s.getOutputStream();
            List<String> f = new ArrayList<>();
            if (!field(in, f) || !MAGIC.equals(f.get(0)) || !field(in, f) || !MessageDigest.isEqual(
                    token.getBytes(StandardCharsets.UTF_8), f.get(1).getBytes(StandardCharsets.UTF_8))) {
                return; // not a client of ours: no answer
            }
            for (int i = 0; i < 7; i++) {
                if (!field(in, f)) {
                    return;
                }
            }
            String op = f.get(2);
            long pid = Long.parseLong(f.get(3));
            Path cwd = Path.of(f.get(4));
            boolean terminal = f.get(5).equals("1");
            String javaHome = f.get(6);
            String outFd = f.get(7);
            String errFd = f.get(8);
            Map<String, String> clientEnv = new TreeMap<>();
            for (String e : list(in)) {
                int eq = e.indexOf('=');
                clientEnv.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
            String[] args = list(in).toArray(String[]::new);
            s.setSoTimeout(0); // from here on the client waits for the command, however long it runs
            if (op.equals("stop")) {
                answer(reply, "ok stopping");
                exit("stop asked");
            }
            String refused = !op.equals("run") ? "unknown operation"
                    : !samePath(javaHome, System.getProperty("java.home")) ? "another JDK"
                    : !classPath.equals(classPathStamps()) ? "stale"
                    : !env.equals(relevant(clientEnv)) ? "another environment"
                    : !cwd.isAbsolute() ? "no directory" : null;
            if (refused != null) {
                log.println(Instant.now() + " refused a call: " + refused);
                answer(reply, "no " + refused);
                if (refused.equals("stale")) {
                    exit("class path rebuilt");
                }
                return;
            }
            // The client's own stdout and stderr (pipes, terminals, /dev/null), as copies on descriptors that the
            // client leaves alone during the call, or the relay's buffer (see the class comment).
            ByteArrayOutputStream relayed = new ByteArrayOutputStream();
            ByteArrayOutputStream relayedErr = new ByteArrayOutputStream();
            try (OutputStream o = output(pid, outFd, relayed, relayedErr);
                 OutputStream e = output(pid, errFd, relayed, relayedErr)) {
                answer(reply, "ok");
                Cancellation cancel = new Cancellation();
                Thread gone = Thread.ofPlatform().daemon().name("meshforge-call-watch").start(() -> {
                    try {
                        if (in.read() < 0) {
                            cancel.cancel();
                        }
                    } catch (IOException ex) {
                        cancel.cancel();
                    }
                });
                int code;
                Throwable broke = null;
                try (Writer out = new OutputStreamWriter(o, OUTPUT);
                     Writer err = new OutputStreamWriter(e, OUTPUT)) {
                    try {
                        code = Main.run(Caller.client(cwd, terminal, cancel), out, err, args);
                    } catch (RuntimeException | Error ex) { // picocli hands errors (out of memory) through
                        broke = ex;
                        code = 3;
                        err.write("meshforge: internal error (" + ex.getClass().getSimpleName() + ") in the daemon, "
                                + "which has stopped; run the command again (MESHFORGE_DAEMON=0 runs it in-process)\n");
                    }
                }
                gone.interrupt();
                answer(reply, "exit " + code + " " + relayed.size() + " " + relayedErr.size());
                try {
                    relayed.writeTo(reply);
                    relayedErr.writeTo(reply);
                    reply.flush();
                } catch (IOException ignored) {
                    // the client went away
                }
                if (broke != null) { // a JVM past an error is not trusted with the next call
                    broke.printStackTrace(log);
                    exit("internal error");
                }
            } catch (IOException ex) {
                log.println(Instant.now() + " refused a call: no output: " + ex.getMessage());
                answer(reply, "no output: " + ex.getMessage());
            }
        } catch (IOException | RuntimeException ex) {
            ex.printStackTrace(log);
        } finally {
            lastCall.set(System.nanoTime());
            running.decrementAndGet();
        }
    }

    /** The client's descriptor {@code fd} opened through /proc, or a relay's buffer where it is {@code r} or {@code e}. */
    private static OutputStream output(long pid, String fd, ByteArrayOutputStream relayed,
                                       ByteArrayOutputStream relayedErr) throws IOException {
        return switch (fd) {
            case "r" -> relayed;
            case "e" -> relayedErr;
            default -> new FileOutputStream("/proc/" + pid + "/fd/" + Integer.parseInt(fd));
        };
    }

    private static boolean samePath(String a, String b) {
        try {
            return Path.of(a).toRealPath().equals(Path.of(b).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void answer(OutputStream reply, String line) {
        try {
            reply.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            reply.flush();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** Seconds a client has to send its whole request. */
    static final int REQUEST_SECONDS = 10;
    /** Bytes a request may have (its arguments and environment entries together). */
    static final int REQUEST_BYTES = 1 << 20;

    /** The connection's bytes, of which reads past {@link #REQUEST_BYTES} fail. */
    private static final class Bounded extends java.io.FilterInputStream {
        private long left = REQUEST_BYTES;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (left-- <= 0) {
                throw new IOException("request over " + REQUEST_BYTES + " bytes");
            }
            return super.read();
        }
    }

    /** Reads one NUL-terminated field into {@code into}; false at the end of the stream. */
    private static boolean field(InputStream in, List<String> into) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != 0) {
            if (c < 0) {
                return false;
            }
            b.write(c);
        }
        into.add(b.toString(StandardCharsets.UTF_8));
        return true;
    }

    /** A count, then that many fields. */
    private static List<String> list(InputStream in) throws IOException {
        List<String> n = new ArrayList<>();
        if (!field(in, n)) {
            throw new IOException("request cut short");
        }
        List<String> items = new ArrayList<>();
        int count = Integer.parseInt(n.get(0));
        if (count < 0 || count > 4096) {
            throw new IOException("request with " + count + " fields in a list");
        }
        for (int i = count; i > 0; i--) {
            if (!field(in, items)) {
                throw new IOException("request cut short");
            }
        }
        return items;
    }

    private static Map<String, String> relevant(Map<String, String> all) {
        Map<String, String> m = new TreeMap<>();
        all.forEach((k, v) -> {
            boolean launcherOnly = k.startsWith("MESHFORGE_DAEMON") || k.equals("MESHFORGE_SHORT")
                    || k.equals("MESHFORGE_AOT");
            if ((k.startsWith("MESHFORGE_") && !launcherOnly) || SHARED_ENV.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Each class path entry's modification time and size: a rebuild changes them. */
    private static Map<Path, Long> classPathStamps() {
        Map<Path, Long> m = new TreeMap<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            try {
                m.put(p, Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p));
            } catch (IOException ex) {
                m.put(p, -1L);
            }
        }
        return m;
    }
}
