// serve --config FILE and MESHFORGE_* variables: what they set, and one sentence naming the key for what they cannot.
package dev.meshforge.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {
    private static ServerConfig apply(Path dir, String file, Map<String, String> env) throws IOException {
        Path f = dir.resolve("meshforge.properties");
        Files.writeString(f, file);
        return ConfigFile.apply(ServerConfig.embedded(dir), f, env);
    }

    @Test
    void aFileSetsPostgresS3AndModelUrlsAndTheEnvironmentWins(@TempDir Path dir) throws IOException {
        ServerConfig c = apply(dir, """
                # one worker machine
                database_url = jdbc:postgresql://db.internal:5432/meshforge
                s3.endpoint = http://127.0.0.1:9000
                s3.bucket = results
                s3.prefix = prod
                s3.access_key = AK
                s3.secret_key = SK
                workers = 4
                keep = 48h
                model_url.enabled = true
                model_url.allow = Models.Example.com, *.cdn.example.org
                model_url.max_mb = 10
                op_nice = 5
                """, Map.of("MESHFORGE_WORKERS", "0", "MESHFORGE_S3_BUCKET", "other", "MESHFORGE_OP_NICE", "19"));
        assertEquals("jdbc:postgresql://db.internal:5432/meshforge", c.databaseUrl());
        assertEquals(new ServerConfig.S3("http://127.0.0.1:9000", "us-east-1", "other", "prod/", "AK", "SK", true),
                c.s3());
        assertEquals(0, c.workers());
        assertEquals(19, c.opNice());
        assertEquals(Duration.ofHours(48), c.keep());
        assertTrue(c.modelUrls().enabled());
        assertEquals(List.of("models.example.com", "*.cdn.example.org"), c.modelUrls().allowHosts());
        assertEquals(10L << 20, c.modelUrls().maxBytes());
        assertFalse(c.modelUrls().allowInsecure());
    }

    @Test
    void withoutAnythingTheEmbeddedDefaultsStay(@TempDir Path dir) throws IOException {
        ServerConfig c = ConfigFile.apply(ServerConfig.embedded(dir), null, Map.of());
        assertEquals(ServerConfig.embedded(dir), c);
        assertNull(c.s3());
        assertFalse(c.modelUrls().enabled());
        assertEquals(10, c.opNice(), "op threads run 10 nice steps below the API's by default");
    }

    @Test
    void whatCannotBeUsedIsOneSentenceNamingTheKey(@TempDir Path dir) {
        Map<String, String> cases = Map.of(
                "workrs = 2\n", "'workrs' is not a configuration key",
                "port = eighty\n", "port must be a whole number from 0 to 65535, not 'eighty'",
                "s3.endpoint = http://x:9000\n", "s3.endpoint is set but s3.bucket is not",
                "s3.bucket = b\ns3.access_key = AK\n", "s3.access_key needs its partner",
                "database_url = postgres://x/db\n", "database_url must be a PostgreSQL JDBC URL",
                "model_url.enabled = true\n", "model_url.allow names no host",
                "keep = forever\n", "keep must be a positive number with a unit",
                "op_nice = 20\n", "op_nice must be a whole number from 0 to 19, not '20'");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> apply(dir, e.getKey(), Map.of()), e.getKey());
            assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
            assertTrue(x.getMessage().contains("meshforge.properties"), x.getMessage());
        }
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> ConfigFile.apply(ServerConfig.embedded(dir), null, Map.of("MESHFORGE_PORT", "-1")));
        assertTrue(v.getMessage().startsWith("the variable MESHFORGE_PORT (port) must be"), v.getMessage());
    }
}
