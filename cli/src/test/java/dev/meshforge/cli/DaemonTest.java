// The resident JVM as the launcher drives it: scripts/daemon.sh's client against a Daemon of the test's classes.
package dev.meshforge.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls through the daemon print what the same command prints in-process (paths as typed, resolved against the
 * caller's directory), return its exit code, and run side by side; a caller it cannot serve runs the command itself.
 */
@EnabledOnOs(OS.LINUX)
class DaemonTest {
    private static final Path SCRIPT = Path.of("../scripts/daemon.sh").toAbsolutePath();
    private static final Path TESTDATA = Path.of(System.getProperty("meshforge.testdata", "../testdata"))
            .toAbsolutePath().normalize();

    @TempDir
    static Path tmp;
    private static Process daemon;
    private static Path state;

    @BeforeAll
    static void startDaemon() throws Exception {
        state = tmp.resolve("run").resolve("state");
        daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Daemon.class.getName(), state.toString(), "120")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(state)) {
            assertTrue(daemon.isAlive(), "the daemon ended at start");
            assertTrue(System.nanoTime() < deadline, "no state file after 60 s");
            Thread.sleep(50);
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state)));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        try {
            Client stop = Client.run(tmp, Map.of(), "mf_daemon_stop \"$1\" && exit 0; exit 1", List.of());
            assertEquals(0, stop.code(), stop.err());
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop");
            assertTrue(Files.notExists(state), "the stopped daemon left its state file");
        } finally {
            daemon.destroyForcibly(); // no process outlives the test, whatever failed
        }
    }

    /** What the launcher's client returned and what the command printed. */
    record Client(int code, String out, String err) {
        /** The launcher's call: the exit code of the daemon's run, or 99 where the caller would run it itself. */
        static Client call(Path cwd, Map<String, String> env, String... args) throws Exception {
            return run(cwd, env, "mf_daemon_call \"$1\" \"${@:2}\" && exit \"$MF_DAEMON_RC\"; "
                    + "echo \"in-process, start=$MF_DAEMON_START\" >&2; exit 99", List.of(args));
        }

        static Client run(Path cwd, Map<String, String> env, String body, List<String> args) throws Exception {
            List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\"; " + body, SCRIPT.toString(),
                    state.toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client did not end: " + command);
            return new Client(p.exitValue(), out.get(), err.get());
        }

        private static CompletableFuture<String> read(InputStream in) {
            return CompletableFuture.supplyAsync(() -> {
                try (in) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    /** The report without its timing line, the one line two runs of the same command differ in. */
    private static String untimed(String report) {
        return report.lines().filter(l -> !l.strip().startsWith("time:")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aRelativePathIsResolvedInTheCallersDirectoryAndPrintedAsTyped() throws Exception {
        Client c = Client.call(TESTDATA, Map.of(), "inspect", "cube.obj");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith("cube.obj\n"), c.out());
        // The same command typed in this JVM's directory prints the same report as in-process.
        String typed = Path.of("").toAbsolutePath().relativize(TESTDATA.resolve("cube.obj")).toString();
        Client d = Client.call(Path.of("").toAbsolutePath(), Map.of(), "inspect", typed);
        CommandRun local = CommandRun.of("inspect", typed);
        assertEquals(0, d.code(), d.err());
        assertEquals(local.code(), d.code());
        assertEquals(untimed(local.out()), untimed(d.out()));
        assertEquals(local.err(), d.err());
        assertTrue(d.out().contains("triangles                        12"), d.out());
    }

    @Test
    void aRelativePathTypedInTheRootFolderIsShownAbsolute() throws Exception {
        String typed = TESTDATA.resolve("cube.obj").toString().substring(1);
        Client c = Client.call(Path.of("/"), Map.of(), "inspect", typed, "--json");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("\"triangles\" : 12"), c.out());
        Client d = Client.call(Path.of("/"), Map.of(), "inspect", typed);
        assertTrue(d.out().startsWith("/" + typed + "\n"), d.out());
    }

    @Test
    void theOutputFileIsWrittenInTheCallersDirectory() throws Exception {
        Path where = Files.createDirectories(tmp.resolve("caller"));
        Client c = Client.call(where, Map.of(), "convert", TESTDATA.resolve("cube.obj").toString(), "out/cube.glb");
        assertEquals(1, c.code(), "no such folder yet: " + c.out());
        Files.createDirectories(where.resolve("out"));
        c = Client.call(where, Map.of(), "convert", TESTDATA.resolve("cube.obj").toString(), "out/cube.glb");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith(TESTDATA.resolve("cube.obj") + " -> out/cube.glb\n"), c.out());
        CommandRun reread = CommandRun.of("inspect", where.resolve("out/cube.glb").toString(), "--json");
        assertEquals(0, reread.code(), reread.err());
        assertTrue(reread.out().contains("\"triangles\" : 12"), reread.out());
    }

    @Test
    void errorsAndUsageErrorsPrintAndExitAsInProcess() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        for (List<String> args : List.of(List.of("inspect", "no-such-model.obj"), List.of("inspect"),
                List.of("convert", "../testdata/cube.obj", "cube.xyz"), List.of("inspect", "--bogus", "x.obj"))) {
            Client d = Client.call(here, Map.of(), args.toArray(String[]::new));
            CommandRun local = CommandRun.of(args.toArray(String[]::new));
            assertTrue(local.code() == 1 || local.code() == 2, args + ": " + local.code());
            assertEquals(local.code(), d.code(), args + ": " + d.err());
            assertEquals(local.out(), d.out(), args.toString());
            assertEquals(local.err(), d.err(), args.toString());
        }
    }

    @Test
    void outputToARegularFileIsWrittenAtTheCallersOffset() throws Exception {
        Path where = Files.createDirectories(tmp.resolve("to-file"));
        String cube = TESTDATA.resolve("cube.obj").toString();
        // Lines before and after the call share the file's offset with it, as they do with an in-process run.
        Client c = Client.run(where, Map.of(), "{ echo before; mf_daemon_call \"$1\" \"${@:2}\" || exit 99; "
                + "echo \"after $MF_DAEMON_RC\"; } >report.txt", List.of("inspect", cube));
        assertEquals(0, c.code(), c.err());
        CommandRun local = CommandRun.of("inspect", cube);
        assertEquals(0, local.code(), local.err());
        assertEquals("before\n" + untimed(local.out()) + "after 0\n", untimed(Files.readString(where.resolve(
                "report.txt"))));
        // Appended to, and stdout and stderr into the same file: an error lands there, with the exit code.
        Files.writeString(where.resolve("log.txt"), "first\n");
        c = Client.run(where, Map.of(), "mf_daemon_call \"$1\" \"${@:2}\" >>log.txt 2>&1 || exit 99; "
                + "exit \"$MF_DAEMON_RC\"", List.of("inspect", "no-such-model.obj"));
        CommandRun missing = CommandRun.of("inspect", "no-such-model.obj");
        assertEquals(1, missing.code());
        assertEquals(missing.code(), c.code(), c.err());
        assertEquals("", c.out());
        assertEquals("first\n" + missing.out() + missing.err().replace(Path.of("").toAbsolutePath() + "/", ""),
                Files.readString(where.resolve("log.txt")).replace(where + "/", ""));
        // stderr alone into a file: the report still goes to the caller's pipe.
        c = Client.run(where, Map.of(), "mf_daemon_call \"$1\" \"${@:2}\" 2>errors.txt || exit 99; "
                + "exit \"$MF_DAEMON_RC\"", List.of("inspect", "no-such-model.obj"));
        assertEquals(1, c.code(), c.err());
        assertEquals(missing.err().replace(Path.of("").toAbsolutePath() + "/", ""),
                Files.readString(where.resolve("errors.txt")).replace(where + "/", ""));
    }

    @Test
    void aDaemonLeftToStartStartsOnceTheCommandBesideItHasEnded() throws Exception {
        Path other = tmp.resolve("started").resolve("state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // mf_daemon_start returns at once, and a second start meanwhile sets up none; the daemon's JVM waits until the
        // script (and what it runs, here a sleep of 2 s) has ended: no state file before that, one after.
        Client c = Client.run(TESTDATA, Map.of("MESHFORGE_DAEMON_IDLE", "60"), "mf_daemon_start \"$2\" \"${@:3}\" "
                + "|| exit 98; mf_daemon_start \"$2\" \"${@:3}\" && exit 97; sleep 2; [ -e \"$2\" ] && exit 96; exit 0",
                List.of(other.toString(), java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), Daemon.class.getName()));
        assertEquals(0, c.code(), c.out() + c.err());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(other)) {
            assertTrue(System.nanoTime() < deadline, "no daemon listened within 60 s of the command's end");
            Thread.sleep(50);
        }
        Client call = Client.run(TESTDATA, Map.of("MESHFORGE_DAEMON_IDLE", "60"), "mf_daemon_call \"$2\" inspect cube.obj "
                + "|| exit 99; mf_daemon_stop \"$2\"; exit \"$MF_DAEMON_RC\"", List.of(other.toString()));
        assertEquals(0, call.code(), call.out() + call.err());
        assertTrue(call.out().startsWith("cube.obj\n"), call.out());
        assertTrue(Files.notExists(other.resolveSibling("state.starting")), "the marker of the start is left");
    }

    @Test
    void aStartWaitingOnALongFirstCommandIsNotTakenForAFailedOne() throws Exception {
        Path other = tmp.resolve("waiting").resolve("state");
        // A marker two minutes old that names a live process (this JVM: a first command still running) keeps a
        // second start from being set up; the same marker naming a process that has ended is a failed start, tried
        // again. The command started is `true`: nothing listens afterwards.
        String body = "mkdir -p \"${2%/*}\"; m=\"$2.starting\"; echo \"$3\" >\"$m\"; touch -d '-2 minutes' \"$m\"; "
                + "mf_daemon_start \"$2\" true && exit 97; "
                + "echo 999999999 >\"$m\"; touch -d '-2 minutes' \"$m\"; mf_daemon_start \"$2\" true || exit 98; exit 0";
        Client c = Client.run(TESTDATA, Map.of(), body,
                List.of(other.toString(), Long.toString(ProcessHandle.current().pid())));
        assertEquals(0, c.code(), c.out() + c.err());
    }

    @Test
    void aCallFromASubshellGetsItsOutput() throws Exception {
        // In a subshell the descriptors the client copies are the subshell's, not those of the script's process.
        Client c = Client.run(TESTDATA, Map.of(), "( mf_daemon_call \"$1\" \"${@:2}\" && exit \"$MF_DAEMON_RC\"; "
                + "echo \"in-process, start=$MF_DAEMON_START\" >&2; exit 99 )", List.of("inspect", "cube.obj"));
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().startsWith("cube.obj\n"), c.out());
    }

    @Test
    void stdoutAndStderrInTwoFilesEachGetTheirOwn() throws Exception {
        Path where = Files.createDirectories(tmp.resolve("two-files"));
        String cube = TESTDATA.resolve("cube.obj").toString();
        String body = "{ echo out; echo err >&2; mf_daemon_call \"$1\" \"${@:2}\" || exit 99; echo \"out $MF_DAEMON_RC\"; "
                + "echo \"err $MF_DAEMON_RC\" >&2; } >out.txt 2>err.txt";
        Client c = Client.run(where, Map.of(), body, List.of("inspect", cube));
        assertEquals(0, c.code(), c.err());
        CommandRun local = CommandRun.of("inspect", cube);
        assertEquals("out\n" + untimed(local.out()) + "out 0\n", untimed(Files.readString(where.resolve("out.txt"))));
        assertEquals("err\n" + local.err() + "err 0\n", Files.readString(where.resolve("err.txt")));
        // An error: nothing on stdout, the message on stderr.
        c = Client.run(where, Map.of(), body, List.of("inspect", "no-such-model.obj"));
        assertEquals(0, c.code(), c.err());
        CommandRun missing = CommandRun.of("inspect", "no-such-model.obj");
        assertEquals("out\n" + missing.out() + "out 1\n", Files.readString(where.resolve("out.txt")));
        assertEquals("err\n" + missing.err().replace(Path.of("").toAbsolutePath() + "/", "") + "err 1\n",
                Files.readString(where.resolve("err.txt")).replace(where + "/", ""));
    }

    @Test
    void twoCallsAtOnceEachGetTheirOwnOutput() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.copy(TESTDATA.resolve("cube.obj"), a.resolve("one.obj"));
        Files.copy(TESTDATA.resolve("open-cube.obj"), b.resolve("two.obj"));
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Client> first = CompletableFuture.supplyAsync(() -> call(a, "inspect", "one.obj"));
            CompletableFuture<Client> second = CompletableFuture.supplyAsync(() -> call(b, "inspect", "two.obj"));
            Client one = first.get();
            Client two = second.get();
            assertEquals(0, one.code(), one.err());
            assertEquals(0, two.code(), two.err());
            assertTrue(one.out().startsWith("one.obj\n") && !one.out().contains("two.obj"), one.out());
            assertTrue(two.out().startsWith("two.obj\n") && !two.out().contains("one.obj"), two.out());
            assertTrue(one.out().contains("holes                            0"), one.out());
            assertTrue(!two.out().contains("holes                            0"), two.out());
        }
    }

    private static Client call(Path cwd, String... args) {
        try {
            return Client.call(cwd, Map.of(), args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCallerWithOtherSettingsRunsTheCommandItself() throws Exception {
        Client c = Client.call(TESTDATA, Map.of("MESHFORGE_KERNEL_LIBRARY", "/elsewhere/libmeshforge_kernel.so"),
                "inspect", "cube.obj");
        assertEquals(99, c.code(), c.out());
        assertEquals("in-process, start=\n", c.err(), "the daemon is alive: no new one");
        assertEquals("", c.out());
    }

    /**
     * A new daemon runs its warm-up rounds (inspect and convert of a cube) beside the clients' calls, every one of
     * them ending well, and deletes their folder after.
     */
    @Test
    void aNewDaemonWarmsUpAndLeavesNothingBehind() throws Exception {
        Path log = state.resolveSibling(state.getFileName() + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains(" warmed: ")) {
            assertFalse(Files.readString(log).contains("warm-up stopped"), Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no warm-up after 120 s: " + Files.readString(log));
            Thread.sleep(100);
        }
        assertTrue(Files.readString(log).contains(" warmed: " + Daemon.WARM_ROUNDS * 4 + " calls in "),
                Files.readString(log));
        try (var left = Files.list(state.getParent())) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("warm-")).toList());
        }
    }

    @Test
    void aConnectionWithoutTheTokenGetsNoAnswer() throws Exception {
        String[] fields = Files.readString(state).strip().split(" ");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(fields[0]))) {
            s.setSoTimeout(30_000);
            OutputStream o = s.getOutputStream();
            o.write((Daemon.MAGIC + "\0" + "0".repeat(32) + "\0run\0" + ProcessHandle.current().pid() + "\0/\0"
                    + "0\0/\0" + "0\0" + "1\0--version\0").getBytes(StandardCharsets.UTF_8));
            o.flush();
            assertEquals(-1, s.getInputStream().read(), "the daemon answered a wrong token");
        }
    }

    @Test
    void aConnectionThatSendsTooMuchOrNothingIsClosedAndTheDaemonServesOn() throws Exception {
        int port = Integer.parseInt(Files.readString(state).strip().split(" ")[0]);
        try (Socket flood = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            flood.setSoTimeout(30_000);
            silent.setSoTimeout(30_000);
            long start = System.nanoTime();
            // A first field of 2 MiB without its end: the daemon stops reading at 1 MiB and closes the connection.
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            OutputStream o = flood.getOutputStream();
            try {
                for (int i = 0; i < 32; i++) {
                    o.write(chunk);
                }
                o.flush();
            } catch (IOException closed) {
                // the daemon closed the connection while we wrote: what this test wants
            }
            assertTrue(closedByDaemon(flood.getInputStream()), "the daemon answered a flood");
            long flooded = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(flooded < Daemon.REQUEST_SECONDS / 2, "a flood was closed after " + flooded + " s, not at once");
            // A connection that sends nothing is closed once its request time is over.
            assertTrue(closedByDaemon(silent.getInputStream()), "the daemon answered a silent connection");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds >= Daemon.REQUEST_SECONDS - 1 && seconds < 30, "closed after " + seconds + " s");
        }
        Client c = Client.call(TESTDATA, Map.of(), "inspect", "cube.obj");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith("cube.obj\n"), c.out());
    }

    /** True when the stream ends (or is reset) without a byte from the daemon. */
    private static boolean closedByDaemon(InputStream in) {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
