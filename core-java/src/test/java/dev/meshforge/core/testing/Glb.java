// Reads the JSON chunk of a GLB file, for tests that check what the writer declared.
package dev.meshforge.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public final class Glb {
    private Glb() {
    }

    /** The parsed JSON chunk (the first chunk, after the 12-byte header and its 8-byte chunk header). */
    public static JsonNode json(Path glb) throws IOException {
        byte[] b = Files.readAllBytes(glb);
        int length = ByteBuffer.wrap(b, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return new ObjectMapper().readTree(new String(b, 20, length, StandardCharsets.UTF_8));
    }
}
