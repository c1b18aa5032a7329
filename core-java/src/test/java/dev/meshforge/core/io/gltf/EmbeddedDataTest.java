// Large data URIs, which the reader decodes from the file instead of the JSON tree, read as their .bin twins do.
package dev.meshforge.core.io.gltf;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.VertexAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDataTest {
    /** Vertices of each test buffer: 211 KiB of positions, twice (576k base64 characters, several decoded chunks). */
    private static final int VERTICES = 3 * 6000;

    @TempDir
    Path dir;

    /** Positions 0.5 apart, offset so that two buffers differ. */
    private static byte[] positions(float offset) {
        ByteBuffer b = ByteBuffer.allocate(VERTICES * 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < VERTICES * 3; i++) {
            b.putFloat(offset + i * 0.5f);
        }
        return b.array();
    }

    /** The positions, then the same positions again (which the accessors read: a view at an offset). */
    private static byte[] buffer(float offset) {
        byte[] p = positions(offset);
        byte[] twice = new byte[p.length * 2];
        System.arraycopy(p, 0, twice, 0, p.length);
        System.arraycopy(p, 0, twice, p.length, p.length);
        return twice;
    }

    /** A glTF with one mesh a buffer, each placing the second copy of its buffer's positions. */
    private static String gltf(String nodeName, String... uris) {
        StringBuilder nodes = new StringBuilder();
        StringBuilder meshes = new StringBuilder();
        StringBuilder accessors = new StringBuilder();
        StringBuilder views = new StringBuilder();
        StringBuilder buffers = new StringBuilder();
        for (int i = 0; i < uris.length; i++) {
            String sep = i == 0 ? "" : ",";
            nodes.append(sep).append("{\"mesh\":").append(i).append(i == 0 ? ",\"name\":\"" + nodeName + "\"" : "")
                    .append('}');
            meshes.append(sep).append("{\"primitives\":[{\"attributes\":{\"POSITION\":").append(i).append("}}]}");
            accessors.append(sep).append("{\"bufferView\":").append(i).append(",\"componentType\":5126,\"count\":")
                    .append(VERTICES).append(",\"type\":\"VEC3\"}");
            views.append(sep).append("{\"buffer\":").append(i).append(",\"byteOffset\":").append(VERTICES * 12)
                    .append(",\"byteLength\":").append(VERTICES * 12).append('}');
            buffers.append(sep).append("{\"byteLength\":").append(VERTICES * 24).append(",\"uri\":\"").append(uris[i])
                    .append("\"}");
        }
        return "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[" + (uris.length > 1 ? "0,1" : "0")
                + "]}],\"nodes\":[" + nodes + "],\"meshes\":[" + meshes + "],\"accessors\":[" + accessors
                + "],\"bufferViews\":[" + views + "],\"buffers\":[" + buffers + "]}";
    }

    private static String dataUri(byte[] bytes) {
        return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] positionsOf(Scene s, int root) {
        return s.roots().get(root).mesh().primitives().getFirst().attribute(VertexAttribute.POSITION).data()
                .toArray(ValueLayout.JAVA_BYTE);
    }

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    @Test
    void twoLargeDataUrisReadAsTheirBinTwins() throws IOException {
        byte[] a = buffer(0);
        byte[] b = buffer(7);
        assertTrue(dataUri(a).length() > EmbeddedData.MIN_PAYLOAD * 2, "the payloads span several decoded chunks");
        Files.write(dir.resolve("a.bin"), a);
        Files.write(dir.resolve("b.bin"), b);
        try (Scene embedded = Formats.read(write("embedded.gltf", gltf("n", dataUri(a), dataUri(b))));
             Scene external = Formats.read(write("external.gltf", gltf("n", "a.bin", "b.bin")))) {
            assertArrayEquals(positions(0), positionsOf(embedded, 0));
            assertArrayEquals(positions(7), positionsOf(embedded, 1));
            assertArrayEquals(positionsOf(external, 0), positionsOf(embedded, 0));
            assertArrayEquals(positionsOf(external, 1), positionsOf(embedded, 1));
        }
    }

    /** A string that only quotes a data URI (an escaped quote before "data:") keeps every character. */
    @Test
    void aDataUriQuotedInsideANameStaysInTheName() throws IOException {
        String quoted = dataUri(buffer(3));
        String name = "see \\\"" + quoted + "\\\"";
        try (Scene s = Formats.read(write("quoted.gltf", gltf(name, dataUri(buffer(0)))))) {
            assertEquals("see \"" + quoted + "\"", s.roots().getFirst().name());
            assertArrayEquals(positions(0), positionsOf(s, 0));
        }
    }

    /** Spaces and escaped slashes, which JSON allows in the string, are read as MIME decoding reads them. */
    @Test
    void aPayloadWithSpacesOrEscapesIsDecodedWhole() throws IOException {
        String plain = dataUri(buffer(1));
        String spaced = plain.replace("AAAA", "AA AA");
        String escaped = plain.replace("/", "\\/");
        assertTrue(!spaced.equals(plain) && !escaped.equals(plain), "the payload holds both");
        try (Scene s = Formats.read(write("spaced.gltf", gltf("n", spaced)));
             Scene e = Formats.read(write("escaped.gltf", gltf("n", escaped)))) {
            assertArrayEquals(positions(1), positionsOf(s, 0));
            assertArrayEquals(positions(1), positionsOf(e, 0));
        }
    }

    /** A raw tab in the payload (JSON strings hold control characters only escaped) is refused as the parser would. */
    @Test
    void aRawControlCharacterInAPayloadIsRefusedNamingItsBuffer() throws IOException {
        Path file = write("tab.gltf", gltf("n", dataUri(buffer(0)).replaceFirst("AAAA", "AA\tAA")));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(file).close());
        assertTrue(e.getMessage().contains("buffers[0]") && e.getMessage().contains("control character 0x9"),
                e.getMessage());
    }

    @Test
    void aPayloadThatIsNotBase64IsRefusedNamingItsBuffer() throws IOException {
        Path file = write("broken.gltf", gltf("n", dataUri(buffer(0)) + "A"));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(file).close());
        assertTrue(e.getMessage().contains("buffers[0]") && e.getMessage().contains("not valid base64"),
                e.getMessage());
    }
}
