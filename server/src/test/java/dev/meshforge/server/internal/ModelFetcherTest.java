// Which addresses model_url may reach, and that the connection goes only to an address the fetcher checked.
package dev.meshforge.server.internal;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meshforge.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFetcherTest {
    @Test
    void privateLoopbackAndLinkLocalAddressesAreNotPublic() throws Exception {
        for (String a : List.of("127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1",
                "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "ff02::1")) {
            assertFalse(ModelFetcher.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void publicAddressesArePublic() throws Exception {
        for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
                "::ffff:8.8.8.8")) {
            assertTrue(ModelFetcher.isPublic(InetAddress.getByName(a)), a);
        }
    }

    /**
     * DNS rebinding: the name answers a public address to the first lookup (the check) and loopback to every later
     * one. The connection's own lookup is checked again and refused, so nothing ever connects to the loopback
     * listener standing where an internal service would be.
     */
    @Test
    void aNameThatRebindsToLoopbackIsNeverConnectedTo(@TempDir Path dir) throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger lookups = new AtomicInteger();
            ModelFetcher.Lookup rebinding = host -> {
                assertEquals("models.example.com", host);
                return new InetAddress[] {
                        InetAddress.getByName(lookups.incrementAndGet() == 1 ? "203.0.113.7" : "127.0.0.1")};
            };
            ModelFetcher fetcher = new ModelFetcher(new ServerConfig.ModelUrls(true, List.of("models.example.com"),
                    1 << 20, Duration.ofSeconds(3), false), rebinding, null);
            String url = "https://models.example.com:" + internal.getLocalPort() + "/cube.obj";
            ApiProblem p = assertThrows(ApiProblem.class, () -> fetcher.fetch(url, null, 1 << 20, dir));
            assertEquals("model_url_private_address", p.code(), p.getMessage());
            assertEquals(400, p.status());
            assertEquals("the host models.example.com resolves to 127.0.0.1, a loopback, private or link-local "
                    + "address, which this server never fetches from", p.getMessage());
            assertEquals(2, lookups.get(), "the check's lookup and the connection's");
            // A connection that was made waits in the listener's backlog: none must be there.
            internal.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, internal::accept);
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList());
            }
        }
    }

    /** A name is fetched from the address the fetcher's own lookup gave, under the URL's name. */
    @Test
    void aNameIsFetchedFromTheAddressItsLookupGave(@TempDir Path dir) throws Exception {
        byte[] model = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".getBytes(StandardCharsets.US_ASCII);
        AtomicReference<String> hostHeader = new AtomicReference<>();
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/tri.obj", x -> {
            hostHeader.set(x.getRequestHeaders().getFirst("Host"));
            x.sendResponseHeaders(200, model.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(model);
            }
        });
        origin.start();
        try {
            AtomicInteger lookups = new AtomicInteger();
            // models.test is no name in any DNS: only this lookup knows where it is.
            ModelFetcher.Lookup local = host -> {
                assertEquals("models.test", host);
                lookups.incrementAndGet();
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            };
            // allowInsecure: plain http, and the loopback origin stands for a public host.
            ModelFetcher fetcher = new ModelFetcher(new ServerConfig.ModelUrls(true, List.of("models.test"),
                    1 << 20, Duration.ofSeconds(5), true), local, null);
            int port = origin.getAddress().getPort();
            Upload u = fetcher.fetch("http://models.test:" + port + "/tri.obj", null, 1 << 20, dir);
            assertEquals("tri.obj", u.name());
            assertEquals(model.length, u.bytes());
            assertArrayEquals(model, Files.readAllBytes(u.file()));
            assertEquals("models.test:" + port, hostHeader.get());
            assertEquals(2, lookups.get(), "the check's lookup and the connection's");
        } finally {
            origin.stop(0);
        }
    }

    /**
     * Connected to the address its lookup gave, TLS still verifies the certificate against the URL's host: of two
     * certificates both trusted, the one for the URL's name is accepted and the one for another name refused.
     */
    @Test
    void tlsVerifiesTheUrlsHostNotTheAddress(@TempDir Path dir) throws Exception {
        KeyStore right = selfSigned(dir, "models.test");
        KeyStore wrong = selfSigned(dir, "elsewhere.test");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("right", right.getCertificate("origin"));
        trust.setCertificateEntry("wrong", wrong.getCertificate("origin"));
        byte[] model = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".getBytes(StandardCharsets.US_ASCII);
        ModelFetcher.Lookup local = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        // allowInsecure only lets the loopback origin stand for a public host; the URL is https.
        ModelFetcher fetcher = new ModelFetcher(new ServerConfig.ModelUrls(true, List.of("models.test"), 1 << 20,
                Duration.ofSeconds(5), true), local, trust);
        for (KeyStore served : List.of(right, wrong)) {
            HttpsServer origin = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(served, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            origin.setHttpsConfigurator(new HttpsConfigurator(tls));
            origin.createContext("/tri.obj", x -> {
                x.sendResponseHeaders(200, model.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(model);
                }
            });
            origin.start();
            try {
                String url = "https://models.test:" + origin.getAddress().getPort() + "/tri.obj";
                if (served == right) {
                    assertArrayEquals(model, Files.readAllBytes(fetcher.fetch(url, null, 1 << 20, dir).file()));
                } else {
                    ApiProblem p = assertThrows(ApiProblem.class, () -> fetcher.fetch(url, "other.obj", 1 << 20,
                            dir));
                    assertEquals("model_url_fetch_failed", p.code(), p.getMessage());
                    // the JDK's verdict on the name, not a failure to connect or to trust
                    assertTrue(p.getMessage().contains("No subject alternative DNS name matching models.test"),
                            p.getMessage());
                    assertFalse(Files.exists(dir.resolve("other.obj")));
                }
            } finally {
                origin.stop(0);
            }
        }
    }

    private static final String PASSWORD = "origin-key";

    /** A key and a self-signed certificate for {@code name} (its subject and only DNS name), made by keytool. */
    private static KeyStore selfSigned(Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
