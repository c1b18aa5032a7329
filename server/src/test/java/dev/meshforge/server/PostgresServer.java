// A private PostgreSQL server for the scale-out tests: its own cluster in a temporary directory, on loopback.
package dev.meshforge.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Uses the Debian {@code postgresql} package's binaries (initdb, pg_ctl) found under /usr/lib/postgresql or on the
 * PATH. PostgreSQL refuses to run as root, so as root the cluster is made and run as the {@code postgres} user.
 * Trust authentication is safe here: the server listens on 127.0.0.1 only and lives as long as the test.
 */
final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean asPostgres;
    final int port;

    private PostgresServer(Path bin, Path dir, Path data, boolean asPostgres, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = data;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /** Where initdb is, if PostgreSQL is installed. */
    static Optional<Path> binaries() {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(
                        b.resolve("initdb"))).max(Comparator.comparing(Path::toString));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Optional.of(Path.of(dir));
            }
        }
        return Optional.empty();
    }

    /** Makes and starts a cluster in a new directory under the system's temporary directory. */
    static PostgresServer start(Path bin) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        // Its own directory straight under /tmp: the postgres user cannot pass through a test's private folders.
        Path dir = Files.createTempDirectory("meshforge-pg-");
        Path data = dir.resolve("pgdata");
        if (root) {
            run(List.of("chown", "-R", "postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(bin, dir, data, root, port);
        pg.as(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "meshforge", "--auth=trust",
                "-E", "UTF8", "--no-sync"));
        pg.as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("postgres.log").toString(), "-o", "-p " + port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"));
        pg.as(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "meshforge", "meshforge"));
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/meshforge?user=meshforge";
    }

    private void as(List<String> command) throws IOException, InterruptedException {
        run(command, asPostgres);
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL", e);
        }
    }
}
