// A generated input written once per JMH run and read by all of that run's trials (each a forked JVM).
package dev.meshforge.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@link GeneratedReadBenchmark#write}'s file for a format and size, kept for the rest of the JMH run that first
 * asks for it: a trial in a forked JVM finds the file its run's earlier trials wrote instead of writing its own
 * (the 2M-triangle OBJ is 198 MB, written in seconds, for every trial). The file lies in a folder of the temp
 * folder named after the run's process (the forks' parent, or this JVM when JMH does not fork) and its start,
 * so concurrent runs keep apart; a run removes the folders of runs whose process has ended, so a run leaves only
 * its own behind, until the next.
 */
final class RunInput {
    private static final String PREFIX = "meshforge-run-input-";
    private static final String NAME = "name";

    private RunInput() {
    }

    /** The run's file of the torus with {@code triangles} triangles in {@code format}, written if it is not yet. */
    static Path torus(String format, int triangles) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeEnded(tmp);
        ProcessHandle run = run();
        Path folder = tmp.resolve(PREFIX + run.pid() + "-" + started(run)).resolve(format + "-" + triangles);
        Path done = folder.resolve("done");
        // The name of the file to read (a glTF's buffer lies beside it), recorded with it.
        Path name = done.resolve(NAME);
        if (Files.isRegularFile(name)) {
            return done.resolve(Files.readString(name));
        }
        // Written aside and moved in whole: a trial killed while writing leaves no folder that looks done.
        Path writing = folder.resolve("writing");
        delete(writing);
        Files.createDirectories(writing);
        Path file = GeneratedReadBenchmark.write(writing, format, triangles);
        Files.writeString(writing.resolve(NAME), file.getFileName().toString());
        delete(done);
        Files.move(writing, done, StandardCopyOption.ATOMIC_MOVE);
        return done.resolve(file.getFileName());
    }

    /** The JMH run's process: the parent of a forked trial, else this JVM. */
    private static ProcessHandle run() {
        String command = System.getProperty("sun.java.command", "");
        ProcessHandle self = ProcessHandle.current();
        return command.startsWith("org.openjdk.jmh.runner.ForkedMain") ? self.parent().orElse(self) : self;
    }

    private static long started(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Removes the folders of runs whose process has ended (or whose number another process now has). */
    private static void removeEnded(Path tmp) throws IOException {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path folder : all) {
                String[] key = folder.getFileName().toString().substring(PREFIX.length()).split("-");
                boolean alive;
                try {
                    long pid = Long.parseLong(key[0]);
                    long start = Long.parseLong(key[1]);
                    alive = ProcessHandle.of(pid).map(p -> started(p) == start).orElse(false);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    continue;
                }
                if (!alive) {
                    delete(folder);
                }
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
