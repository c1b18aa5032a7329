package dev.meshforge.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The builder states each setting once: the defaults of the embedded setup, a copy, and the same checks. */
class ServerConfigTest {
    @Test
    void theEmbeddedDefaultsAreTheDocumentedOnes() {
        ServerConfig c = ServerConfig.embedded(Path.of("data"));
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(Path.of("data"), c.dataDir());
        assertEquals(Duration.ofHours(24), c.keep());
        assertEquals(256L << 20, c.maxUploadBytes());
        assertEquals(Duration.ofMinutes(15), c.taskTimeLimit());
        assertEquals(10, c.opNice());
        assertEquals(null, c.databaseUrl());
        assertEquals(null, c.s3());
        assertEquals(ServerConfig.ModelUrls.OFF, c.modelUrls());
        assertEquals(5, c.costs().convert());
    }

    @Test
    void aCopyChangesOnlyWhatItSets() {
        ServerConfig c = ServerConfig.embedded(Path.of("data")).withWorkers(3).withPort(0).withOpNice(0)
                .withDatabaseUrl("jdbc:postgresql://db/meshforge").withBodyMemory(0);
        assertEquals(c, c.toBuilder().build());
        ServerConfig d = c.withKeep(Duration.ofHours(1));
        assertEquals(Duration.ofHours(1), d.keep());
        assertEquals(c, d.withKeep(c.keep()));
        ServerConfig e = c.withTiming(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(2), e.lease());
        assertEquals(Duration.ofMillis(50), e.poll());
        assertEquals(Duration.ofSeconds(5), e.sweep());
        assertEquals(3, e.workers());
        assertEquals("jdbc:postgresql://db/meshforge", e.databaseUrl());
    }

    @Test
    void theBuilderIsCheckedAsTheConstructorIs() {
        ServerConfig.Builder b = ServerConfig.embedded(Path.of("data")).toBuilder();
        assertThrows(IllegalArgumentException.class, () -> b.opNice(20).build());
        assertThrows(IllegalArgumentException.class, () -> b.opNice(0).port(70_000).build());
        assertThrows(NullPointerException.class, () -> new ServerConfig.Builder(null).build());
    }
}
