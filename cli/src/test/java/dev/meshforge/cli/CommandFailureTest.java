package dev.meshforge.cli;

import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How every tool command fails: usage 2, input 1, internal 3 with a crash report and no stack trace. */
class CommandFailureTest {
    @TempDir
    Path dir;

    /** A tool command whose tool has a bug. */
    @Command(name = "buggy")
    static final class BuggyCommand extends ToolCommand {
        @Parameters(index = "0")
        Path in;

        @Override
        Path input() {
            return in;
        }

        @Override
        ToolResult<?> run(Scene scene, RunControl control) {
            throw new IllegalStateException("a bug deep inside");
        }
    }

    private record Outcome(int code, String out, String err) {
    }

    private Outcome runBuggy(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "buggy";
        System.arraycopy(args, 0, all, 1, args.length);
        String old = System.getProperty("meshforge.cache.dir");
        System.setProperty("meshforge.cache.dir", dir.resolve("cache").toString());
        try {
            CommandLine cl = Main.commandLine(all);
            cl.addSubcommand(new BuggyCommand());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(all);
            return new Outcome(code, out.toString(), err.toString());
        } finally {
            if (old == null) {
                System.clearProperty("meshforge.cache.dir");
            } else {
                System.setProperty("meshforge.cache.dir", old);
            }
        }
    }

    private Path cube() throws Exception {
        Path p = dir.resolve("cube.obj");
        Files.copy(Path.of(System.getProperty("meshforge.testdata", "../testdata")).resolve("cube.obj"), p);
        return p;
    }

    @Test
    void anInternalErrorPrintsOneSentenceAndWritesACrashReport() throws Exception {
        Outcome o = runBuggy(cube().toString());
        assertEquals(3, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        assertTrue(o.err().contains("internal error (IllegalStateException)"), o.err());
        String path = o.err().substring(o.err().indexOf("details are in ") + "details are in ".length(),
                o.err().indexOf("; please report it"));
        Path report = Path.of(path);
        assertTrue(report.startsWith(dir.resolve("cache").resolve("crash")), path);
        String text = Files.readString(report);
        assertTrue(text.contains("a bug deep inside") && text.contains("\tat ") && text.contains("buggy"), text);
    }

    @Test
    void debugPrintsTheStackTraceToo() throws Exception {
        Outcome o = runBuggy(cube().toString(), "--debug");
        assertEquals(3, o.code());
        assertTrue(o.err().contains("\tat ") && o.err().contains("a bug deep inside"), o.err());
    }

    @Test
    void quietPrintsNoReportTextAndJsonStillPrints() throws Exception {
        Path in = cube();
        CommandRun quiet = CommandRun.of("inspect", in.toString(), "--quiet");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.out());
        CommandRun json = CommandRun.of("inspect", in.toString(), "--quiet", "--json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"triangles\" : 12"), json.out());
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        CommandRun r = CommandRun.of("repair", cube().toString(), dir.resolve("o.stl").toString(), "--qualty", "max");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--qualty"), r.err());
    }

    @Test
    void convertPrintsItsReportOnStdoutAndTheJsonNamesTheFile() throws Exception {
        Path out = dir.resolve("cube.stl");
        CommandRun r = CommandRun.of("convert", cube().toString(), out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"format\" : \"stl\"") && r.out().contains("\"triangles\" : 12"), r.out());
        assertTrue(Files.size(out) == 84 + 50 * 12, "binary STL of 12 triangles");
    }
}
