// A real S3-compatible server for the scale-out tests: S3Proxy on its filesystem backend, in its own JVM, on loopback.
package dev.meshforge.server;

import java.io.IOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The jar is S3Proxy's self-contained release from Maven Central, copied by the build to target/s3proxy (see the
 * server's pom). Objects land as plain files under {@code root/<bucket>/<key>}, so a test can check what was stored
 * without going through the server's own S3 client.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "meshforge-test";
    static final String SECRET_KEY = "meshforge-test-secret";

    final Path root;
    final int port;
    private final Process process;

    private S3ProxyServer(Path root, int port, Process process) {
        this.root = root;
        this.port = port;
        this.process = process;
    }

    /** The jar, where the build put it. */
    static Optional<Path> jar() {
        String p = System.getProperty("meshforge.s3proxy.jar");
        return p != null && Files.isRegularFile(Path.of(p)) ? Optional.of(Path.of(p)) : Optional.empty();
    }

    static S3ProxyServer start(Path jar, Path dir) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("objects"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path props = dir.resolve("s3proxy.properties");
        try (Writer w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            w.write("s3proxy.endpoint=http://127.0.0.1:" + port + "\n"
                    + "s3proxy.authorization=aws-v2-or-v4\n"
                    + "s3proxy.identity=" + ACCESS_KEY + "\n"
                    + "s3proxy.credential=" + SECRET_KEY + "\n"
                    + "jclouds.provider=filesystem\n"
                    + "jclouds.filesystem.basedir=" + root + "\n");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        S3ProxyServer server = new S3ProxyServer(root, port, p);
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end)) {
            if (!p.isAlive()) {
                throw new IOException("S3Proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(server.endpoint() + "/").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();   // any answer (403 without a signature) means it is listening
                return server;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        server.close();
        throw new IOException("S3Proxy did not answer within 60 s");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    ServerConfig.S3 config(String bucket) {
        return new ServerConfig.S3(endpoint(), "us-east-1", bucket, "", ACCESS_KEY, SECRET_KEY, true);
    }

    /** The configuration-file lines that point a server process at this store. */
    String configLines(String bucket) {
        return "s3.endpoint = " + endpoint() + "\ns3.bucket = " + bucket + "\ns3.access_key = " + ACCESS_KEY
                + "\ns3.secret_key = " + SECRET_KEY + "\n";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
