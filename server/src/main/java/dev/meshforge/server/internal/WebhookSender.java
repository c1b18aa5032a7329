// Webhooks: endpoints per account, messages signed as Standard Webhooks specifies, retried with backoff, recorded.
package dev.meshforge.server.internal;

import dev.meshforge.server.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message is queued in the same transaction that ends its task, so that no finished task goes unannounced and no
 * announcement precedes its task's end. The sender claims due deliveries (pushing their next attempt a minute on, so
 * that a second process does not send the same one meanwhile), POSTs them with {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature} (v1: base64 HMAC-SHA256 over "id.timestamp.body" with the
 * endpoint's {@code whsec_} secret), and records each outcome. Retries wait firstRetry, then four times longer each.
 * The {@code webhook-id} is the delivery's id on every attempt, so a receiver can drop repeats.
 */
public final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    public record Endpoint(String id, String url, String secret, Instant createdAt) {
    }

    private final Database db;
    private final ServerConfig.Webhooks settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public WebhookSender(Database db, ServerConfig.Webhooks settings) {
        this.db = db;
        this.settings = settings;
    }

    /** Queues one message for every endpoint of the account. */
    static void enqueue(Connection c, String accountId, String taskId, String type, Map<String, Object> data,
                        Instant now) throws SQLException {
        for (String endpoint : Database.query(c, rs -> rs.getString(1), "SELECT id FROM webhook_endpoints WHERE "
                + "account_id = ? AND deleted_at IS NULL", accountId)) {
            String id = Database.newId("msg_");
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("type", type);
            payload.put("timestamp", now.toString());
            payload.put("data", data);
            Database.update(c, "INSERT INTO webhook_deliveries (id, endpoint_id, task_id, event_type, payload, state, "
                            + "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)", id, endpoint,
                    taskId, type, Json.write(payload), now.toEpochMilli(), now.toEpochMilli());
        }
    }

    /** Registers an endpoint; the secret is returned so that the API shows it once at creation. */
    public Endpoint create(Connection c, String accountId, String url) throws SQLException {
        check(url);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(Secrets.random(32));
        String id = Database.newId("whk_");
        Instant now = Instant.now();
        Database.update(c, "INSERT INTO webhook_endpoints (id, account_id, url, secret, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", id, accountId, url, secret, now.toEpochMilli());
        return new Endpoint(id, url, secret, now);
    }

    public List<Map<String, Object>> deliveries(String accountId, String endpointId) {
        return db.read(c -> Database.query(c, rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getString(1));
            m.put("task_id", rs.getString(2));
            m.put("type", rs.getString(3));
            m.put("state", rs.getString(4));
            m.put("attempts", rs.getInt(5));
            int status = rs.getInt(6);
            m.put("last_status", rs.wasNull() ? null : status);
            m.put("last_error", rs.getString(7));
            Instant delivered = KeyStore.instant(rs, 8);
            m.put("delivered_at", delivered == null ? null : delivered.toString());
            return m;
        }, "SELECT d.id, d.task_id, d.event_type, d.state, d.attempts, d.last_status, d.last_error, d.delivered_at "
                + "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.account_id = ? "
                + "AND e.id = ? ORDER BY d.created_at, d.id", accountId, endpointId));
    }

    public boolean exists(String accountId, String endpointId) {
        return db.read(c -> Database.one(c, rs -> rs.getString(1), "SELECT id FROM webhook_endpoints WHERE id = ? "
                + "AND account_id = ? AND deleted_at IS NULL", endpointId, accountId)) != null;
    }

    /** Sends what is due; called by a timer. */
    public void sendDue() {
        // Looked for with a read first, so that a round with nothing due writes nothing.
        if (db.read(c -> Database.one(c, rs -> rs.getInt(1), "SELECT 1 FROM webhook_deliveries WHERE state = "
                + "'pending' AND next_attempt_at <= ? LIMIT 1", Instant.now().toEpochMilli())) == null) {
            return;
        }
        while (true) {
            Object[] due = db.transaction(c -> {
                Object[] d = Database.one(c, rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5)}, "SELECT d.id, d.payload, e.url, e.secret, d.attempts "
                                + "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE "
                                + "d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT 1",
                        Instant.now().toEpochMilli());
                if (d == null) {
                    return null;
                }
                // Conditional, so that of two processes that read the same due row only one sends it.
                int taken = Database.update(c, "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND "
                        + "state = 'pending' AND next_attempt_at <= ?", Instant.now().plusSeconds(60).toEpochMilli(),
                        d[0], Instant.now().toEpochMilli());
                return taken == 1 ? d : new Object[0];
            });
            if (due == null) {
                return;
            }
            if (due.length == 0) {
                continue;
            }
            attempt((String) due[0], (String) due[1], (String) due[2], (String) due[3], (Integer) due[4] + 1);
        }
    }

    private void attempt(String id, String payload, String url, String secret, int attempt) {
        Integer status = null;
        String error = null;
        try {
            check(url);
            long timestamp = Instant.now().getEpochSecond();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", sign(secret, id, timestamp, payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
        } catch (ApiProblem e) {
            error = e.getMessage();
        } catch (java.io.IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean ok = status != null && status >= 200 && status < 300;
        Instant now = Instant.now();
        long wait = settings.firstRetry().toMillis() * (1L << (2 * Math.min(attempt - 1, 10)));
        String state = ok ? "delivered" : attempt >= settings.maxAttempts() ? "failed" : "pending";
        Integer s = status;
        String err = error != null ? error : ok ? null : "the endpoint answered " + status;
        db.transaction(c -> Database.update(c, "UPDATE webhook_deliveries SET state = ?, attempts = ?, "
                        + "next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?", state,
                attempt, now.toEpochMilli() + wait, s, err, ok ? now.toEpochMilli() : null, id));
        if (!ok) {
            LOG.info("webhook {} attempt {} to {}: {}", id, attempt, url, err);
        }
    }

    /** The Standard Webhooks signature: "v1," and base64 HMAC-SHA256 of "id.timestamp.body" under the secret. */
    public static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An https URL whose host resolves only to public addresses, unless the configuration allows otherwise. Checked
     * when an endpoint is made and again before every attempt, since DNS can change in between.
     */
    void check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid_webhook_url", "url is not a valid URL").with("field", "url");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && settings.allowInsecure())) {
            throw ApiProblem.badRequest("invalid_webhook_url", "url must be an https URL with a host")
                    .with("field", "url");
        }
        if (settings.allowInsecure()) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc)) {
                    throw ApiProblem.badRequest("webhook_url_not_allowed", "url resolves to a private, loopback or "
                            + "link-local address (" + a.getHostAddress() + "), which this server does not call")
                            .with("field", "url");
                }
            }
        } catch (UnknownHostException e) {
            throw ApiProblem.badRequest("invalid_webhook_url", "the host of url does not resolve")
                    .with("field", "url");
        }
    }
}
