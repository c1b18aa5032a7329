// A JSON body's model decoded a chunk at a time from the body's bytes, into an array kept from an earlier body.
package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodyTest {
    /** A body with its model's text between two members, in an array longer than the body and full of junk. */
    private static byte[] body(String modelText, int slack) {
        byte[] json = ("{\"file_name\":\"m.stl\",\"model_base64\":\"" + modelText + "\",\"options\":{}}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[json.length + slack];
        Arrays.fill(raw, (byte) '}');
        System.arraycopy(json, 0, raw, 0, json.length);
        return raw;
    }

    private static int length(String modelText) {
        return body(modelText, 0).length;
    }

    /**
     * Lengths round the decoding's 32 KiB chunk of text (24 KiB of model) and its multiples, with and without
     * padding: each decodes to the bytes that were encoded, and nothing past them is written.
     */
    @Test
    void modelsOfEveryLengthRoundTheChunksDecodeToTheirBytes() {
        Random random = new Random(16);
        for (int size : new int[]{0, 1, 2, 3, 24_575, 24_576, 24_577, 24_578, 49_151, 49_152, 49_153, 100_000,
                1_000_001}) {
            byte[] model = new byte[size];
            random.nextBytes(model);
            String text = Base64.getEncoder().encodeToString(model);
            byte[] raw = body(text, 1000);
            JsonBody parsed = JsonBody.parse(raw, length(text));
            byte[] into = new byte[size + 3 + 64];
            Arrays.fill(into, (byte) 7);
            int n = parsed.decodeModel(into);
            assertEquals(size, n, "model of " + size + " bytes");
            assertArrayEquals(model, Arrays.copyOf(into, n), "model of " + size + " bytes");
            for (int i = n; i < into.length; i++) {
                assertEquals(7, into[i], "byte " + i + " past a model of " + size + " bytes");
            }
            assertEquals("{}", parsed.get("options").toString());
        }
    }

    /** Unpadded text, as the JDK's decoder reads it. */
    @Test
    void textWithoutPaddingDecodes() {
        byte[] model = new byte[40_000];
        new Random(3).nextBytes(model);
        String text = Base64.getEncoder().withoutPadding().encodeToString(model);
        JsonBody parsed = JsonBody.parse(body(text, 0), length(text));
        byte[] into = new byte[model.length + 3];
        assertArrayEquals(model, Arrays.copyOf(into, parsed.decodeModel(into)));
    }

    /**
     * Padding that ends the first chunk of a longer text is not the end of the model: refused as the whole text is
     * (each chunk alone would be valid base64).
     */
    @Test
    void paddingAtTheEndOfAChunkBeforeMoreTextIsRefused() {
        String chunk = "A".repeat((1 << 15) - 4) + "AA==";
        String text = chunk + "QUJD";
        ApiProblem refused = assertThrows(ApiProblem.class, () -> JsonBody.parse(body(text, 0), length(text))
                .decodeModel(new byte[text.length()]));
        assertEquals("invalid_base64", refused.body("/").get("code"));
    }

    /** A character outside the alphabet in a later chunk is refused naming base64. */
    @Test
    void aCharacterOutsideTheAlphabetInALaterChunkIsRefused() {
        String text = "A".repeat(3 << 15) + "!AAA";
        ApiProblem refused = assertThrows(ApiProblem.class, () -> JsonBody.parse(body(text, 0), length(text))
                .decodeModel(new byte[text.length()]));
        assertEquals("invalid_base64", refused.body("/").get("code"));
    }

    /** Escaped slashes, which JSON allows, across chunks: read as the JSON string and decoded whole. */
    @Test
    void escapedSlashesAcrossChunksDecode() {
        byte[] model = new byte[60_000];
        Arrays.fill(model, (byte) 0xff);   // every character a slash
        String text = Base64.getEncoder().encodeToString(model);
        String escaped = text.replace("/", "\\/");
        JsonBody parsed = JsonBody.parse(body(escaped, 10), length(escaped));
        byte[] into = new byte[escaped.length()];
        assertArrayEquals(model, Arrays.copyOf(into, parsed.decodeModel(into)));
    }
}
