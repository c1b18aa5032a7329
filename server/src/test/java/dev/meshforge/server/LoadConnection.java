// One load client's HTTP/1.1 connection: blocking reads and writes on the client's thread, kept alive between requests.
package dev.meshforge.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load test's client side costs CPU on the cores the server is measured on, so it does as little as an HTTP
 * client can: a request is a prepared header block and body written to a socket the client keeps; an answer is its
 * status line, the one header the test reads ({@code Server-Timing}) and a body of {@code Content-Length} bytes or
 * chunks. Not a general client: no redirects, no TLS, and
 * a GET whose kept connection the server closed is sent again once on a new one.
 */
final class LoadConnection implements Closeable {
    /** An answer: the status code, the Server-Timing header (or null) and the body as text. */
    record Answer(int status, String serverTiming, String body) {
    }

    /** Connections opened by every load connection of this JVM (a run tells how often a kept one was lost). */
    static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoadConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A request's header block, made once: method, path, the key and (for a body) its type and length. */
    static byte[] head(String method, String path, String host, String key, String contentType, int bodyBytes) {
        StringBuilder h = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nAuthorization: Bearer ").append(key).append("\r\n");
        if (bodyBytes >= 0) {
            h.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(bodyBytes)
                    .append("\r\n");
        }
        return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    Answer send(byte[] head, byte[] body) throws IOException {
        try {
            return exchange(head, body);
        } catch (IOException e) {
            close();
            if (body != null) {
                throw e;   // a POST the server may have taken is not sent twice
            }
            // The server closed a kept connection (an idle timeout): one new connection, one more try.
            return exchange(head, body);
        }
    }

    private Answer exchange(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket();
            OPENED.incrementAndGet();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            // A small request goes out in one write; a large body is written from its own array, not copied.
            out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
        }
        out.write(head);
        if (body != null) {
            out.write(body);
        }
        out.flush();
        String statusLine = line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        String timing = null;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closing = value.equalsIgnoreCase("close");
                case "server-timing" -> timing = value;
                default -> {
                }
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                copy(size, content);
                line();
            }
            for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                // trailers are not read
            }
        } else if (length >= 0) {
            copy(length, content);
        } else {
            in.transferTo(content);
            closing = true;
        }
        if (closing) {
            close();
        }
        return new Answer(status, timing, content.toString(StandardCharsets.UTF_8));
    }

    private void copy(long n, ByteArrayOutputStream into) throws IOException {
        byte[] buf = in.readNBytes((int) n);
        if (buf.length < n) {
            throw new IOException("the answer ended after " + buf.length + " of " + n + " bytes");
        }
        into.write(buf);
    }

    /** A header line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        if (b.isEmpty()) {
            throw new IOException("the server closed the connection");
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
