// Random tokens and their hashes: API keys, ids, webhook secrets.
package dev.meshforge.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Where the server's randomness and hashing live, so that every secret is made the same way. */
public final class Secrets {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** Never updated: only cloned (see {@link #digest()}). */
    private static final MessageDigest SHA256 = newDigest();

    private Secrets() {
    }

    /** Lower-case RFC 4648 base 32 without padding: safe in URLs, file names and shells. */
    static String base32(byte[] bytes) {
        StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    public static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String sha256Hex(byte[] data) {
        return sha256Hex(data, data.length);
    }

    /** The hash of the first {@code length} bytes of {@code data}. */
    public static String sha256Hex(byte[] data, int length) {
        MessageDigest sha = digest();
        sha.update(data, 0, length);
        return hex(sha.digest());
    }

    /** A digest as lower-case hex, as every stored hash is written. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new SHA-256 digest, cloned from one made once: {@code MessageDigest.getInstance} looks the algorithm up among
     * the providers each time, two thirds of the cost of hashing a presented key (every status poll hashes one).
     */
    public static MessageDigest digest() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newDigest();
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
