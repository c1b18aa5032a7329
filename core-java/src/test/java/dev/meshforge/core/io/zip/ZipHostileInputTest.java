// Archives made to fill a disk or leak files: bombs, lying headers, overlapping entries, links, nesting.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipHostileInputTest {
    @TempDir
    Path dir;

    static final String TRI = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
    static final int CEN = 0x02014b50;

    static byte[] zipBytes(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Offsets of the central directory records, in order. */
    static List<Integer> centralRecords(ByteBuffer b) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i + 4 <= b.limit(); i++) {
            if (b.getInt(i) == CEN) {
                out.add(i);
            }
        }
        return out;
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static Map<String, byte[]> entries(Object... nameAndContent) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            Object v = nameAndContent[i + 1];
            m.put((String) nameAndContent[i], v instanceof byte[] b ? b : ((String) v).getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void plainBombIsRefusedOnItsHeadersBeforeAnythingIsWritten() throws Exception {
        Path p = write("bomb.zip", zipBytes(entries("m.obj", TRI + "f 1 2 3\n", "bomb.png", new byte[16 << 20])));
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p));
        // "declares": the header check, which runs before any entry is extracted, not the measured one ("expands").
        assertTrue(e.getMessage().startsWith(p + ": entry 'bomb.png' declares 16777216 bytes from "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(ReadOptions.maxCompressionRatio; a zip bomb?)"), e.getMessage());
    }

    @Test
    void entryThatInflatesPastItsDeclaredSizeIsStoppedAtOnce() throws Exception {
        byte[] zip = zipBytes(entries("m.obj", TRI + "f 1 2 3\n", "big.png", new byte[16 << 20]));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        // The header says 1000 bytes: under every limit, so only the measured count can catch it.
        b.putInt(centralRecords(b).get(1) + 24, 1000);
        Path p = write("liar.zip", zip);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": entry 'big.png' expands past the 1000 bytes its header declares; refused", e.getMessage());
    }

    @Test
    void entryWhoseCompressedSizeIsUnderstatedIsRefused() throws Exception {
        byte[] zip = zipBytes(entries("m.obj", TRI + "f 1 2 3\n", "big.png", new byte[16 << 20]));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int rec = centralRecords(b).get(1);
        // 64 compressed bytes for 4000: a ratio under the limit, so only the bytes really inflated can tell.
        b.putInt(rec + 20, 64);
        b.putInt(rec + 24, 4000);
        Path p = write("short.zip", zip);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": entry 'big.png' expands past the 4000 bytes its header declares; refused", e.getMessage());
    }

    @Test
    void overlappingEntriesAreRefused() throws Exception {
        byte[] zip = zipBytes(entries("a.obj", TRI + "f 1 2 3\n", "b.obj", TRI + "f 1 2 3\n"));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> recs = centralRecords(b);
        // Entry b now points at a's local header and data: one stream counted twice, the overlapping bomb's trick.
        b.putInt(recs.get(1) + 42, b.getInt(recs.get(0) + 42));
        Path p = write("overlap.zip", zip);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(p.toString())
                + ": byte 0: entries 'a.obj' and 'b.obj' overlap \\(bytes 0\\.\\.\\d+\\), as in a zip bomb; refused"),
                e.getMessage());
    }

    @Test
    void centralDirectoryOutsideTheFileIsRefused() throws Exception {
        byte[] zip = zipBytes(entries("a.obj", TRI + "f 1 2 3\n"));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(zip.length - 22 + 16, zip.length + 1000);
        Path p = write("far.zip", zip);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }

    @Test
    void symbolicLinkEntryIsRefused() throws Exception {
        byte[] zip = zipBytes(entries("m.obj", "mtllib m.mtl\n" + TRI + "f 1 2 3\n", "m.mtl", "/etc/passwd"));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int rec = centralRecords(b).get(1);
        b.put(rec + 5, (byte) 3); // made by Unix
        b.putInt(rec + 38, 0120777 << 16); // mode: symbolic link
        Path p = write("link.zip", zip);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": entry 'm.mtl' is a symbolic link; archives with links are refused", e.getMessage());
    }

    @Test
    void nestedArchiveIsNotExtractedAndIsNamed() throws Exception {
        byte[] inner = zipBytes(entries("x.obj", TRI + "f 1 2 3\n"));
        Path p = write("outer.zip", zipBytes(entries("m.stl", "solid s\nendsolid s\n", "inner.zip", inner,
                "disguised.png", inner)));
        try (Scene s = Formats.read(p)) {
            List<String> nested = s.warnings().stream().filter(w -> w.contains("inside the archive")).toList();
            assertEquals(List.of(p + "!/inner.zip: an archive inside the archive; not extracted (nested archives "
                    + "are not read)", p + "!/disguised.png: a ZIP archive inside the archive; not extracted (nested "
                    + "archives are not read)"), nested);
        }
    }

    @Test
    void warningsNameTheArchiveAndEntryNotThePrivateFolder() throws Exception {
        Path p = write("bundle.zip", zipBytes(entries("model/m.obj",
                "mtllib missing.mtl\nmtllib ../../../../etc/passwd\n" + TRI + "f 1 2 3\n")));
        try (Scene s = Formats.read(p)) {
            assertEquals(List.of(p + "!/model/m.obj: line 1: material library 'missing.mtl' was not found; its "
                            + "materials are read as plain grey",
                    p + "!/model/m.obj: line 2: material library '../../../../etc/passwd' was not opened: it leaves "
                            + "the model's folder; its materials are read as plain grey"), s.warnings());
            s.warnings().forEach(w -> assertFalse(w.contains("meshforge-zip-"), w));
        }
    }
}
