// The options serve, keys and credits share: where the server keeps its records (--data, --database-url, --config).
package dev.meshforge.cli;

import dev.meshforge.server.Administration;
import dev.meshforge.server.ConfigFile;
import dev.meshforge.server.ServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** Mixed into serve, keys and credits, so that all three find the same records from the same options. */
final class DataDirectory {
    @Option(names = "--data", paramLabel = "DIR", description = "the server's data directory (default: "
            + "$XDG_DATA_HOME/meshforge/server, else ~/.local/share/meshforge/server)")
    Path data;

    @Option(names = "--database-url", paramLabel = "URL", defaultValue = "${env:MESHFORGE_DATABASE_URL}",
            description = "a PostgreSQL JDBC URL shared by several server processes (default: $MESHFORGE_DATABASE_URL; "
                    + "without it, the SQLite file in the data directory)")
    String databaseUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file of settings (data, "
            + "database_url, s3.endpoint, s3.bucket, model_url.enabled, ...; see the README); MESHFORGE_* variables "
            + "override it and options given here override both")
    Path config;

    Path resolve() {
        if (data != null) {
            return data;
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("meshforge").resolve("server");
    }

    /**
     * The embedded defaults, then the --config file and the MESHFORGE_* variables, then --data and --database-url
     * where the command line gives them; a bad file or value is a usage error naming it.
     */
    ServerConfig settings(CommandSpec spec) {
        ServerConfig c;
        try {
            c = ConfigFile.apply(ServerConfig.embedded(resolve()), config, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--data")) {
            c = c.withDataDir(resolve());
        }
        if (given.hasMatchedOption("--database-url")) {
            c = c.withDatabaseUrl(databaseUrl);
        }
        return c;
    }

    /** The records of the server these options name, opened for an operator's command. */
    Administration administration(CommandSpec spec) {
        ServerConfig c = settings(spec);
        return Administration.open(c.dataDir(), c.databaseUrl());
    }
}
