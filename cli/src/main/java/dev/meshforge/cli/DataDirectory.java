// The --data option of the server commands: where a server keeps its database and files.
package dev.meshforge.cli;

import dev.meshforge.server.Administration;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Mixed into serve, keys and credits, so that all three find the same records by default. */
final class DataDirectory {
    @Option(names = "--data", paramLabel = "DIR", description = "the server's data directory (default: "
            + "$XDG_DATA_HOME/meshforge/server, else ~/.local/share/meshforge/server)")
    Path data;

    @Option(names = "--database-url", paramLabel = "URL", defaultValue = "${env:MESHFORGE_DATABASE_URL}",
            description = "a PostgreSQL JDBC URL shared by several server processes (default: $MESHFORGE_DATABASE_URL; "
                    + "without it, the SQLite file in the data directory)")
    String databaseUrl;

    Path resolve() {
        if (data != null) {
            return data;
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("meshforge").resolve("server");
    }

    /** The records of the server these options name, opened for an operator's command. */
    Administration administration() {
        return Administration.open(resolve(), databaseUrl);
    }
}
