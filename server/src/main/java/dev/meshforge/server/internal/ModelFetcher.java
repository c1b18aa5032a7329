// model_url: a task's model fetched from the web, off unless configured, with every way back into our network shut.
package dev.meshforge.server.internal;

import dev.meshforge.server.ServerConfig;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A URL is fetched only when all of these hold: model_url is enabled; the scheme is https; the URL has no user
 * information; its host is on the allow-list (an exact name, or "*.example.com" for the subdomains of example.com);
 * every address the host resolves to is public (not loopback, private, link-local, unique-local, carrier-grade NAT,
 * multicast or unspecified). Redirects are not followed (one could lead anywhere). The body is counted as it arrives
 * and refused past the size limit; the whole fetch, body included, is cut at the time limit. Each refusal is a 400
 * naming {@code model_url}; nothing is charged and nothing is kept.
 *
 * <p>The HTTP client connects only to addresses this class resolved and checked: its address resolver is
 * {@link #publicAddresses}, so a name server that answers a public address to the first lookup and a private one
 * to the next (DNS rebinding) is refused at the connection's own lookup. TLS verifies the certificate against the
 * URL's host name, whichever checked address was reached. Each fetch has its own client, so no connection outlives
 * it and none is reused by a later fetch.
 */
public final class ModelFetcher {
    /** A host name's addresses; {@link InetAddress#getAllByName} but in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final ServerConfig.ModelUrls config;
    private final Lookup lookup;
    private final KeyStore trust;

    public ModelFetcher(ServerConfig.ModelUrls config) {
        this(config, InetAddress::getAllByName, null);
    }

    /** @param trust the certificates TLS trusts; null for the JDK's certificate authorities */
    ModelFetcher(ServerConfig.ModelUrls config, Lookup lookup, KeyStore trust) {
        this.config = config;
        this.lookup = lookup;
        this.trust = trust;
    }

    /**
     * Fetches the model into a new file of {@code dir}.
     *
     * @param fileName the client's name for it, or null to take the URL's last path segment
     * @param limit    the server's upload limit (the smaller of it and the fetch limit applies)
     */
    public Upload fetch(String url, String fileName, long limit, Path dir) throws IOException {
        if (!config.enabled()) {
            throw refuse("model_url_disabled", "this server does not fetch models from URLs; send model_base64 or a "
                    + "multipart upload");
        }
        URI uri = check(url);
        String name = Upload.sanitize(fileName != null ? fileName : lastSegment(uri));
        long max = Math.min(limit, config.maxBytes());
        long millis = config.timeout().toMillis();
        HttpClient http = new HttpClient();
        http.setExecutor(new VirtualThreadPool());
        http.setFollowRedirects(false);
        http.setConnectTimeout(millis);
        http.setSocketAddressResolver(this::resolve);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate must name the URL's host
        if (trust != null) {
            tls.setTrustStore(trust);
        }
        http.setSslContextFactory(tls);
        try {
            http.start();
        } catch (Exception e) {
            throw new IOException("the HTTP client for model_url did not start", e);
        }
        try {
            InputStreamResponseListener listener = new InputStreamResponseListener();
            // The request's timeout covers the whole exchange, body included: a stalled body is aborted at it.
            http.newRequest(uri).headers(h -> h.put(HttpHeader.ACCEPT, "*/*"))
                    .timeout(millis, TimeUnit.MILLISECONDS).send(listener);
            Response response;
            try {
                response = listener.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw timedOut(uri);
            } catch (ExecutionException e) {
                throw failed(uri, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refuse("model_url_fetch_failed", "the fetch of the model was interrupted");
            }
            return receive(uri, response, listener.getInputStream(), name, max, dir);
        } finally {
            try {
                http.stop();
            } catch (Exception e) {
                // the client's threads are virtual and end with it; nothing to keep
            }
        }
    }

    private Upload receive(URI uri, Response response, InputStream stream, String name, long max, Path dir)
            throws IOException {
        int status = response.getStatus();
        try (InputStream body = stream) {
            if (status / 100 == 3) {
                throw refuse("model_url_redirect", "the model URL answered a redirect (" + status + "), which this "
                        + "server does not follow; send the final URL");
            }
            if (status != 200) {
                throw refuse("model_url_fetch_failed", "the model URL answered HTTP " + status + ", not 200");
            }
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > max) {
                throw Upload.tooLarge(max).with("field", "model_url");
            }
            try {
                return Upload.receive(name, body, max, dir, true);
            } catch (IOException e) {
                throw failed(uri, e);
            } catch (ApiProblem p) {
                throw p.status() == 413 ? Upload.tooLarge(max).with("field", "model_url") : p;
            }
        }
    }

    /** The HTTP client's resolver: the connection's own lookup, checked as {@link #check} checks. */
    private void resolve(String host, int port, Map<String, Object> context,
                         Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> to = new ArrayList<>();
        try {
            String name = bare(host);
            for (InetAddress a : publicAddresses(name)) {
                // The address under the URL's name (no lookup): TLS takes the peer's name from it to verify.
                to.add(new InetSocketAddress(InetAddress.getByAddress(name, a.getAddress()), port));
            }
        } catch (ApiProblem p) {
            promise.failed(p);
            return;
        } catch (UnknownHostException e) {
            promise.failed(e);   // not reached: an address of 4 or 16 bytes from a lookup
            return;
        }
        promise.succeeded(to);
    }

    /** The refusal for a fetch that broke off: the check's own refusal, a timeout, or the transport's failure. */
    private ApiProblem failed(URI uri, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiProblem p) {
                return p;
            }
            if (t instanceof TimeoutException) {
                return timedOut(uri);
            }
        }
        return refuse("model_url_fetch_failed", "the model could not be fetched from " + uri.getHost() + ": "
                + (e == null || e.getMessage() == null ? "the connection failed" : e.getMessage()));
    }

    private ApiProblem timedOut(URI uri) {
        return refuse("model_url_timeout", "fetching the model from " + uri.getHost() + " took longer than "
                + config.timeout().toSeconds() + " s");
    }

    /** The URL's checks before any connection is made. */
    URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw refuse("invalid_model_url", "model_url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(config.allowInsecure() && scheme.equals("http"))) {
            throw refuse("invalid_model_url", "model_url must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null) {
            throw refuse("invalid_model_url", "model_url must name a host and carry no user name or password");
        }
        String host = bare(uri.getHost().toLowerCase(Locale.ROOT));
        if (!allowed(host)) {
            throw refuse("model_url_not_allowed", "the host " + host + " is not on this server's list of hosts "
                    + "models may be fetched from");
        }
        publicAddresses(host);
        return uri;
    }

    /** The host's addresses, every one of them public (unless the configuration allows insecure fetches). */
    private InetAddress[] publicAddresses(String host) {
        InetAddress[] addresses;
        try {
            addresses = lookup.addresses(host);
            if (addresses.length == 0) {
                throw new UnknownHostException(host);
            }
        } catch (UnknownHostException e) {
            throw refuse("model_url_unresolved", "the host " + host + " of model_url does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!config.allowInsecure() && !isPublic(a)) {
                throw refuse("model_url_private_address", "the host " + host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private or link-local address, which this server never fetches from");
            }
        }
        return addresses;
    }

    /** An IPv6 literal without its brackets. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private boolean allowed(String host) {
        for (String pattern : config.allowHosts()) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1
                    : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an address is on the public internet (the only place a model may come from). */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int x = b[0] & 0xff;
            int y = b[1] & 0xff;
            return x != 0 && !(x == 100 && y >= 64 && y < 128)       // 0/8, carrier-grade NAT 100.64/10
                    && !(x == 192 && y == 0 && (b[2] & 0xff) == 0)   // 192.0.0/24 protocol assignments
                    && !(x == 198 && (y == 18 || y == 19))            // benchmarking 198.18/15
                    && x < 240;                                      // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false;                                        // unique local fc00::/7
            }
            boolean mapped = true;                                   // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static ApiProblem refuse(String code, String detail) {
        return ApiProblem.badRequest(code, detail).with("field", "model_url");
    }
}
