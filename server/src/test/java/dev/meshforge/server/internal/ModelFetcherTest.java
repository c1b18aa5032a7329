// Which addresses model_url may reach, and that the connection goes only to an address the fetcher checked.
package dev.meshforge.server.internal;

import com.sun.net.httpserver.HttpServer;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
                    1 << 20, Duration.ofSeconds(3), false), rebinding);
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
                    1 << 20, Duration.ofSeconds(5), true), local);
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
}
