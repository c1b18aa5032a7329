package dev.meshforge.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-level command: what --version and --help print, whichever subcommands the command line built. */
class MainTest {
    @Test
    void versionPrintsTheCliTheKernelAndTheJavaVersions() {
        for (String flag : List.of("--version", "-V")) {
            CommandRun r = CommandRun.of(flag);
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().strip().split("\\R");
            assertEquals(3, lines.length, r.out());
            assertTrue(lines[0].startsWith("meshforge "), r.out());
            assertTrue(lines[1].matches("kernel \\d+\\.\\d+\\.\\d+"), r.out());
            assertEquals("Java " + Runtime.version(), lines[2]);
        }
    }

    @Test
    void helpListsEveryVisibleSubcommand() {
        CommandRun r = CommandRun.of("--help");
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("inspect", "convert", "repair", "scale", "simplify", "hollow", "print", "render",
                "optimize", "serve", "keys", "credits", "help")) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(name + " ")), name + " in:\n" + r.out());
        }
        assertTrue(r.out().lines().noneMatch(l -> l.strip().startsWith("aot-training")), r.out());
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorThatListsTheOthers() {
        CommandRun r = CommandRun.of("inpsect", "x.obj");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("inpsect"), r.err());
        assertTrue(r.err().contains("inspect"), r.err());
    }
}
