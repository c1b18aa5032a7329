// `serve --config FILE` and the MESHFORGE_* environment variables: the settings of a scaled-out deployment.
package dev.meshforge.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A configuration file is a Java properties file ({@code key = value} lines, {@code #} comments). Each key also
 * has an environment variable, its name in upper case with dots and dashes as underscores after
 * {@code MESHFORGE_} (database_url: MESHFORGE_DATABASE_URL, s3.bucket: MESHFORGE_S3_BUCKET); a variable that is set
 * wins over the file, so one file can serve every machine and each machine change what differs. A key the server
 * does not know, or a value it cannot use, is refused in one sentence naming the file (or variable) and the key.
 * The S3 credentials may also come from the AWS SDK's own chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles).
 */
public final class ConfigFile {
    /** Every key, with what it sets. */
    public static final Map<String, String> KEYS = keys();

    private ConfigFile() {
    }

    private static Map<String, String> keys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", "the data directory (SQLite file, uploads in flight, scratch; task files when s3 is unset)");
        m.put("host", "address to listen on");
        m.put("port", "TCP port");
        m.put("workers", "tasks this process runs at once (0: API only)");
        m.put("keep", "how long results stay, e.g. 24h");
        m.put("max_upload_mb", "largest model accepted, MiB");
        m.put("body_memory_mb", "heap for request bodies held whole, MiB; larger ones go to files (default: a "
                + "quarter of the heap)");
        m.put("op_nice", "Linux nice steps the op threads run below the process's priority, 0-19 (default "
                + ServerConfig.DEFAULT_OP_NICE + "; 0: the same priority)");
        m.put("thumbnails", "render a small PNG of each model a task writes (default true)");
        m.put("database_url", "PostgreSQL JDBC URL shared by every process");
        m.put("s3.endpoint", "URL of the S3-compatible store (unset: AWS)");
        m.put("s3.region", "signing region (default us-east-1)");
        m.put("s3.bucket", "bucket for models and results; setting it turns the S3 store on");
        m.put("s3.prefix", "prefix of every object key");
        m.put("s3.access_key", "access key id (unset: the AWS SDK's credentials chain)");
        m.put("s3.secret_key", "secret access key");
        m.put("s3.path_style", "bucket in the path, not the host name (default true)");
        m.put("model_url.enabled", "accept model_url (default false)");
        m.put("model_url.allow", "comma-separated host names model_url may name; *.example.com for subdomains");
        m.put("model_url.max_mb", "largest model fetched, MiB (default 64)");
        m.put("model_url.timeout", "longest fetch, e.g. 30s (default 30s)");
        return m;
    }

    /** The environment variable of a key. */
    public static String variable(String key) {
        return "MESHFORGE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Applies a file (may be null) and then the environment to {@code base}.
     *
     * @throws IllegalArgumentException one sentence naming the file or variable, the key and what is wrong
     */
    public static ServerConfig apply(ServerConfig base, Path file, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage());
            }
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                if (!KEYS.containsKey(key)) {
                    throw new IllegalArgumentException(file + ": '" + key + "' is not a configuration key; the keys "
                            + "are " + String.join(", ", KEYS.keySet()));
                }
                values.put(key, p.getProperty(key).trim());
                source.put(key, file + ": " + key);
            }
        }
        for (String key : KEYS.keySet()) {
            String v = env.get(variable(key));
            if (v != null && !v.isBlank()) {
                values.put(key, v.trim());
                source.put(key, "the variable " + variable(key) + " (" + key + ")");
            }
        }
        ServerConfig c = base;
        try {
            for (Map.Entry<String, String> e : values.entrySet()) {
                c = set(c, e.getKey(), e.getValue());
            }
            c = s3(c, values, env);
            c = modelUrls(c, values);
        } catch (Bad bad) {
            throw new IllegalArgumentException(source.getOrDefault(bad.key, bad.key) + " " + bad.getMessage());
        }
        return c;
    }

    /** A value the server cannot use: the message is completed with where it came from. */
    private static final class Bad extends RuntimeException {
        final String key;

        Bad(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    private static ServerConfig set(ServerConfig c, String key, String v) {
        return switch (key) {
            case "data" -> c.withDataDir(Path.of(v));
            case "host" -> c.withHost(v);
            case "port" -> c.withPort(number(key, v, 0, 65535));
            case "workers" -> c.withWorkers(number(key, v, 0, 1024));
            case "keep" -> c.withKeep(duration(key, v));
            case "thumbnails" -> c.withThumbnails(bool(key, v));
            case "op_nice" -> c.withOpNice(number(key, v, 0, 19));
            case "max_upload_mb" -> c.withMaxUploadBytes((long) number(key, v, 1, 1 << 20) << 20);
            case "body_memory_mb" -> c.withBodyMemory((long) number(key, v, 0, 1 << 20) << 20);
            case "database_url" -> {
                if (!v.startsWith("jdbc:postgresql:")) {
                    throw new Bad(key, "must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), not '"
                            + v + "'");
                }
                yield c.withDatabaseUrl(v);
            }
            default -> c;   // s3.* and model_url.* are taken together below
        };
    }

    private static ServerConfig s3(ServerConfig c, Map<String, String> v, Map<String, String> env) {
        boolean any = v.keySet().stream().anyMatch(k -> k.startsWith("s3."));
        if (!any) {
            return c;
        }
        if (!v.containsKey("s3.bucket")) {
            throw new Bad(v.keySet().stream().filter(k -> k.startsWith("s3.")).findFirst().orElseThrow(),
                    "is set but s3.bucket is not: the S3 store needs its bucket");
        }
        String endpoint = v.get("s3.endpoint");
        if (endpoint != null && !endpoint.matches("https?://[^/\\s]+/?")) {
            throw new Bad("s3.endpoint", "must be http(s)://HOST[:PORT], not '" + endpoint + "'");
        }
        String access = v.get("s3.access_key");
        String secret = v.get("s3.secret_key");
        if ((access == null) != (secret == null)) {
            throw new Bad(access == null ? "s3.secret_key" : "s3.access_key", "needs its partner: set both "
                    + "s3.access_key and s3.secret_key, or neither (then the AWS SDK's credentials chain is used)");
        }
        String region = v.getOrDefault("s3.region", env.getOrDefault("AWS_REGION", "us-east-1"));
        return c.withS3(new ServerConfig.S3(endpoint, region, v.get("s3.bucket"), v.get("s3.prefix"), access, secret,
                bool("s3.path_style", v.getOrDefault("s3.path_style", "true"))));
    }

    private static ServerConfig modelUrls(ServerConfig c, Map<String, String> v) {
        ServerConfig.ModelUrls m = c.modelUrls();
        boolean enabled = v.containsKey("model_url.enabled") ? bool("model_url.enabled", v.get("model_url.enabled"))
                : m.enabled();
        List<String> allow = v.containsKey("model_url.allow") ? Arrays.stream(v.get("model_url.allow").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList()
                : m.allowHosts();
        long max = v.containsKey("model_url.max_mb") ? (long) number("model_url.max_mb", v.get("model_url.max_mb"), 1,
                1 << 20) << 20 : m.maxBytes();
        Duration timeout = v.containsKey("model_url.timeout") ? duration("model_url.timeout", v.get(
                "model_url.timeout")) : m.timeout();
        if (enabled && allow.isEmpty()) {
            throw new Bad("model_url.enabled", "is true but model_url.allow names no host: list the hosts models "
                    + "may be fetched from");
        }
        return c.withModelUrls(new ServerConfig.ModelUrls(enabled, allow, max, timeout, m.allowInsecure()));
    }

    private static int number(String key, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new Bad(key, "must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    private static boolean bool(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new Bad(key, "must be true or false, not '" + v + "'");
        };
    }

    /** A duration as a number and a unit: 90s, 30m, 24h, 7d. */
    public static Duration parseDuration(String v) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("must be a positive number with a unit s, m, h or d (e.g. 24h), not '"
                    + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration duration(String key, String v) {
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw new Bad(key, e.getMessage());
        }
    }
}
