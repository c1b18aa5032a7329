// `meshforge keys`: make, list and revoke the server's API keys.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshforge.server.Administration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Works on the data directory directly, so a running server sees a new or revoked key on its next request. */
@Command(name = "keys", addMethodSubcommands = false, description = "Create, list and revoke API keys of the HTTP API.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern DURATION = Pattern.compile("(\\d+)([mhd])");

    /** "90d", "12h", "30m" as a duration; a usage error otherwise. */
    static Duration duration(CommandSpec spec, String text, String option) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ParameterException(spec.commandLine(), option + " must be a number of minutes, hours or days "
                    + "such as 30m, 12h or 90d, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Command(name = "create", addMethodSubcommands = false,
            description = "Make a key and print it once (only its hash is stored).")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectory data = new DataDirectory();

        @Option(names = "--name", required = true, description = "what the key is for")
        String name;

        @Option(names = "--account", description = "the account the key acts for (default: a new account)")
        String account;

        @Option(names = "--expires", paramLabel = "DURATION", description = "expire after this long, e.g. 90d "
                + "(default: never)")
        String expires;

        @Option(names = "--admin", description = "may use the admin routes (make keys, grant credits)")
        boolean admin;

        @Option(names = "--json", description = "print {\"key\", \"account\", \"name\", \"expires_at\"}")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Instant expiresAt = expires == null ? null : Instant.now().plus(duration(spec, expires, "--expires"));
            Administration.NewKey k;
            try (Administration a = data.administration(spec)) {
                k = a.createKey(name, account, expiresAt, admin);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", k.key());
                m.put("account", k.account());
                m.put("name", k.name());
                m.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
                out.println(JSON.writeValueAsString(m));
            } else {
                out.println(k.key());
                spec.commandLine().getErr().println("meshforge: key " + k.prefix() + " for account " + k.account()
                        + (k.expiresAt() == null ? ", no expiry" : ", expires " + k.expiresAt())
                        + "; it is shown only now");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", addMethodSubcommands = false,
            description = "List keys by prefix (never the keys themselves).")
    static final class ListKeys implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectory data = new DataDirectory();

        @Option(names = "--account", description = "only this account's keys")
        String account;

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<Administration.KeyInfo> keys;
            try (Administration a = data.administration(spec)) {
                keys = a.listKeys(account);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(keys.stream().map(k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("prefix", k.prefix());
                    m.put("account", k.account());
                    m.put("name", k.name());
                    m.put("admin", k.admin());
                    m.put("created_at", k.createdAt().toString());
                    m.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
                    m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
                    return m;
                }).toList()));
            } else {
                for (Administration.KeyInfo k : keys) {
                    String state = k.revokedAt() != null ? "revoked" : k.expiresAt() != null
                            && !Instant.now().isBefore(k.expiresAt()) ? "expired" : "active";
                    out.printf("%s  %-8s %s  %s%s%n", k.prefix(), state, k.account(), k.name(),
                            k.admin() ? "  (admin)" : "");
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", addMethodSubcommands = false,
            description = "Revoke a key by its prefix; it is refused from the next request on.")
    static final class Revoke implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectory data = new DataDirectory();

        @Parameters(paramLabel = "PREFIX", description = "the key's prefix, as keys list shows it")
        String prefix;

        @Override
        public Integer call() {
            try (Administration a = data.administration(spec)) {
                if (!a.revokeKey(prefix)) {
                    throw new ParameterException(spec.commandLine(), "there is no key with the prefix " + prefix);
                }
            }
            spec.commandLine().getErr().println("meshforge: key " + prefix + " revoked");
            return 0;
        }
    }

}
