// keys create/list/revoke and credits grant/balance on a data directory, as an operator runs them.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandsTest {
    @TempDir
    Path data;

    private JsonNode createJson(String... extra) throws Exception {
        String[] args = new String[5 + extra.length];
        args[0] = "keys";
        args[1] = "create";
        args[2] = "--data=" + data;
        args[3] = "--json";
        args[4] = "--name=ci";
        System.arraycopy(extra, 0, args, 5, extra.length);
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void keysCreateJsonPrintsTheKeyOnceWithANewAccountAndExpiry() throws Exception {
        JsonNode k = createJson("--expires=90d");
        assertTrue(k.get("key").asText().matches("mf_[a-z2-7]{32}"), k.toString());
        assertTrue(k.get("account").asText().startsWith("acct_"));
        assertEquals("ci", k.get("name").asText());
        Duration left = Duration.between(Instant.now(), Instant.parse(k.get("expires_at").asText()));
        assertTrue(left.compareTo(Duration.ofDays(89)) > 0 && left.compareTo(Duration.ofDays(90)) <= 0, left.toString());
        assertEquals(4, k.size());

        JsonNode second = createJson("--account=" + k.get("account").asText());
        assertEquals(k.get("account"), second.get("account"));
        assertTrue(second.get("expires_at").isNull());
    }

    @Test
    void keysListShowsPrefixesAndRevokeMarksTheKey() throws Exception {
        JsonNode k = createJson();
        String prefix = k.get("key").asText().substring(0, 11);
        CommandRun list = CommandRun.of("keys", "list", "--data=" + data);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains(prefix + "  active"), list.out());
        assertFalse(list.out().contains(k.get("key").asText()), "the list shows the key itself");

        assertEquals(0, CommandRun.of("keys", "revoke", "--data=" + data, prefix).code());
        JsonNode listed = new ObjectMapper().readTree(CommandRun.of("keys", "list", "--json", "--data=" + data).out());
        assertEquals(prefix, listed.get(0).get("prefix").asText());
        assertFalse(listed.get(0).get("revoked_at").isNull());
        assertEquals(2, CommandRun.of("keys", "revoke", "--data=" + data, "mf_nosuchkey").code());
    }

    @Test
    void creditsGrantAddsToTheBalance() throws Exception {
        String account = createJson().get("account").asText();
        CommandRun first = CommandRun.of("credits", "grant", account, "100", "--data=" + data);
        assertEquals(0, first.code(), first.err());
        assertEquals("100", first.out().strip());
        assertEquals("150", CommandRun.of("credits", "grant", account, "50", "--data=" + data).out().strip());
        assertEquals("150", CommandRun.of("credits", "balance", account, "--data=" + data).out().strip());
        CommandRun unknown = CommandRun.of("credits", "grant", "acct_nobody", "5", "--data=" + data);
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("there is no account acct_nobody"), unknown.err());
        assertEquals(2, CommandRun.of("credits", "grant", account, "0", "--data=" + data).code());
    }

    @Test
    void keysAndCreditsFindTheRecordsAConfigFileNames() throws Exception {
        Path records = data.resolve("records");
        Path conf = data.resolve("server.properties");
        java.nio.file.Files.writeString(conf, "data = " + records + "\nworkers = 4\n");
        CommandRun created = CommandRun.of("keys", "create", "--name=ops", "--json", "--config=" + conf);
        assertEquals(0, created.code(), created.err());
        String account = new ObjectMapper().readTree(created.out()).get("account").asText();
        assertEquals("25", CommandRun.of("credits", "grant", account, "25", "--config=" + conf).out().strip());
        // The same records as --data names them: the key is listed, the grant is in the balance.
        CommandRun list = CommandRun.of("keys", "list", "--data=" + records);
        assertTrue(list.out().contains(account), list.out());
        assertEquals("25", CommandRun.of("credits", "balance", account, "--data=" + records).out().strip());
        // --data on the command line overrides the file's data.
        CommandRun elsewhere = CommandRun.of("keys", "list", "--config=" + conf, "--data=" + data.resolve("other"));
        assertEquals(0, elsewhere.code(), elsewhere.err());
        assertEquals("", elsewhere.out().strip());

        java.nio.file.Files.writeString(conf, "data = " + records + "\ndatabase = sqlite\n");
        CommandRun bad = CommandRun.of("credits", "balance", account, "--config=" + conf);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(conf + ": 'database' is not a configuration key"), bad.err());
    }

    @Test
    void badExpiryIsAUsageError() {
        CommandRun r = CommandRun.of("keys", "create", "--name=x", "--expires=soon", "--data=" + data);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--expires must be"), r.err());
    }

    @Test
    void serveRefusesAConfigurationKeyItDoesNotKnowInOneLine() throws Exception {
        java.nio.file.Path conf = data.resolve("server.properties");
        java.nio.file.Files.writeString(conf, "s3.bucket = results\ns3.acces_key = AK\n");
        CommandRun r = CommandRun.of("serve", "--port=0", "--config=" + conf, "--data=" + data);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(conf + ": 's3.acces_key' is not a configuration key"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("acces_key")).count(), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    }
}
