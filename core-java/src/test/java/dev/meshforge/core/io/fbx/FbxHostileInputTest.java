// FBX files made to break the reader or leak files: outside textures, NaN transforms, compressed-array bombs.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.meshforge.core.io.fbx.FbxFixtures.n;
import static dev.meshforge.core.io.fbx.FbxFixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FbxHostileInputTest {
    @TempDir
    Path tmp;

    static final byte[] SECRET = "\u0089PNG\r\n\u001a\nSECRET-7f3a9c".getBytes(StandardCharsets.ISO_8859_1);
    static final double[] TRI = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    static final int[] POLY = {0, 1, ~2};

    /** The fixture document with one Texture object naming {@code fileName} and {@code relative}. */
    static List<FbxNode> withTexture(String fileName, String relative) {
        List<FbxNode> top = FbxFixtures.document(7400, TRI, POLY, List.of());
        FbxNode objects = top.stream().filter(x -> x.name.equals("Objects")).findFirst().orElseThrow();
        objects.children.add(with(n("Texture", 40L, "skin\u0000\u0001Texture", ""), n("FileName", fileName),
                n("RelativeFilename", relative)));
        return top;
    }

    Path write(List<FbxNode> top) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("upload"));
        Path p = dir.resolve("model.fbx");
        Files.write(p, FbxFixtures.binary(top, 7400));
        return p;
    }

    @Test
    void relativeFilenameLeavingTheFolderIsNotOpened() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("secret.png"), SECRET);
        Path p = write(withTexture(outside.resolve("secret.png").toString(), "..\\private\\secret.png"));
        try (Scene s = Formats.read(p)) {
            assertNull(s.textures().get(0).bytes());
            List<String> w = s.warnings().stream().filter(x -> x.contains("texture 'skin'")).toList();
            assertEquals(1, w.size(), s.warnings().toString());
            assertTrue(w.get(0).startsWith(p + ": texture 'skin': image '" + outside.resolve("secret.png")), w.get(0));
            assertTrue(w.get(0).endsWith("; '..\\private\\secret.png' was not opened: it leaves the model's folder"),
                    w.get(0));
            Path glb = tmp.resolve("out.glb");
            Formats.write(s, glb, Format.GLB, WriteOptions.DEFAULTS);
            assertFalse(new String(Files.readAllBytes(glb), StandardCharsets.ISO_8859_1).contains("SECRET-7f3a9c"));
        }
    }

    @Test
    void absoluteFileNameIsFoundByItsBaseNameInsideTheFolderOnly() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("private"));
        Files.write(outside.resolve("skin.png"), SECRET);
        Path p = write(withTexture(outside.resolve("skin.png").toString(), ""));
        try (Scene s = Formats.read(p)) {
            assertNull(s.textures().get(0).bytes(), "the absolute path was opened");
        }
        byte[] own = "\u0089PNG\r\n\u001a\nown".getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(p.getParent().resolve("Textures"));
        Files.write(p.getParent().resolve("Textures/skin.png"), own);
        try (Scene s = Formats.read(p)) {
            assertArrayEquals(own, s.textures().get(0).bytes());
        }
    }

    /** The offset of the array property header (type, count, encoding) in {@code bytes}. */
    static int arrayHeader(byte[] bytes, char type, int count, int encoding) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 9 <= bytes.length; i++) {
            if (bytes[i] == type && b.getInt(i + 1) == count && b.getInt(i + 5) == encoding) {
                return i;
            }
        }
        throw new AssertionError("no such array");
    }

    /** A triangle whose Vertices array holds 3000 doubles, mostly zeros: deflated to a few dozen bytes. */
    static byte[] compressedVertices() {
        double[] v = new double[3000];
        System.arraycopy(TRI, 0, v, 0, TRI.length);
        return FbxFixtures.binary(FbxFixtures.document(7400, v, POLY, List.of()), 7400);
    }

    @Test
    void compressedArrayDeclaringMoreThanItsBytesCanHoldIsRefusedBeforeAllocating() throws Exception {
        byte[] bytes = compressedVertices();
        int at = arrayHeader(bytes, 'd', 3000, 1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 1, 200_000_000);
        int stored = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 9);
        Path p = tmp.resolve("bomb.fbx");
        Files.write(p, bytes);
        // 1.6 GB declared: allocated first, this would take the heap (or, in parallel arrays, all of it).
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": byte " + at + ": a compressed array of node 'Vertices' declares 200000000 elements "
                + "(1600000000 bytes), more than its " + stored + " stored bytes can inflate to", e.getMessage());
    }

    /**
     * A Vertices array of 1.2 MB, which inflates into native memory (FbxValues): it reads; declaring three doubles
     * more than its stream holds, it is refused naming the array, by the inflater that takes what libdeflate refuses.
     */
    @Test
    void largeCompressedArrayInflatingShortOfItsDeclaredSizeIsRefusedNamingIt() throws Exception {
        double[] v = new double[150_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25;
        }
        System.arraycopy(TRI, 0, v, 0, TRI.length);
        byte[] bytes = FbxFixtures.binary(FbxFixtures.document(7400, v, POLY, List.of()), 7400);
        Path whole = tmp.resolve("large.fbx");
        Files.write(whole, bytes);
        try (Scene s = Formats.read(whole)) {
            assertEquals(1, s.triangleCount());
        }
        int at = arrayHeader(bytes, 'd', v.length, 1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 1, v.length + 3);
        Path p = tmp.resolve("short.fbx");
        Files.write(p, bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": byte " + at + ": a compressed array of node 'Vertices' inflates to 1200000 bytes, fewer "
                + "than the 1200024 it declares", e.getMessage());
    }

    @Test
    void compressedArraysPastTheDecodedLimitAreRefusedNamingIt() throws Exception {
        Path p = tmp.resolve("big.fbx");
        Files.write(p, compressedVertices());
        try (Scene s = Formats.read(p)) {
            assertEquals(1, s.triangleCount());
        }
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Formats.read(p, ReadOptions.DEFAULTS.withMaxDecodedBytes(20_000)));
        assertTrue(e.getMessage().endsWith("the compressed arrays inflate to more than 20000 bytes, the limit "
                + "(ReadOptions.maxDecodedBytes)"), e.getMessage());
    }

    @Test
    void nanPivotIsRefusedNamingTheModelAndProperty() throws Exception {
        Path p = tmp.resolve("pivot.fbx");
        Files.write(p, FbxFixtures.binary(FbxFixtures.document(7400, TRI, POLY, List.of(),
                FbxFixtures.p("RotationPivot", Double.NaN, 0.0, 0.0)), 7400));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": model 'm': its transform is not finite (property RotationPivot holds NaN)",
                e.getMessage());
    }

    /** {@code count} models, each connected to the one before (model 100 to the root). */
    static List<FbxNode> chain(int count, boolean closeTheLoop) {
        List<FbxNode> top = FbxFixtures.document(7400, TRI, POLY, List.of());
        FbxNode objects = top.stream().filter(x -> x.name.equals("Objects")).findFirst().orElseThrow();
        FbxNode conns = top.stream().filter(x -> x.name.equals("Connections")).findFirst().orElseThrow();
        for (int i = 0; i < count; i++) {
            objects.children.add(with(n("Model", 100L + i, "c" + i + "\u0000\u0001Model", "Null"), n("Properties70")));
            conns.children.add(n("C", "OO", 100L + i, i == 0 ? (closeTheLoop ? 100L + count - 1 : 0L) : 99L + i));
        }
        return top;
    }

    @Test
    void modelChainDeeperThanTheLimitIsRefused() throws Exception {
        Path p = write(chain(5000, false));
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Formats.read(p));
        assertEquals(p + ": its model hierarchy is deeper than 1000 levels (model 'c1000'), the limit "
                + "(ReadOptions.maxNodeDepth)", e.getMessage());
        try (Scene s = Formats.read(p, ReadOptions.DEFAULTS.withMaxNodeDepth(5000))) {
            assertEquals(1, s.triangleCount());
        }
    }

    @Test
    void modelConnectionCycleIsRefused() throws Exception {
        Path p = write(chain(3, true));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(p));
        assertEquals(p + ": the model hierarchy has a cycle: 'c0' -> 'c2' -> 'c1' -> 'c0'", e.getMessage());
    }

    @Test
    void deeplyNestedAsciiAndBinaryNodesAreRefusedWithoutOverflowingTheStack() throws Exception {
        Path ascii = tmp.resolve("nested_ascii.fbx");
        Files.writeString(ascii, "; FBX 7.4.0 project file\nObjects: {\n" + "N: {\n".repeat(100_000)
                + "}\n".repeat(100_001));
        BadInputException e = assertThrows(BadInputException.class, () -> Formats.read(ascii));
        assertEquals(ascii + ": line 66: nests nodes deeper than 64 levels", e.getMessage());
        FbxNode deep = n("Objects");
        FbxNode at = deep;
        for (int i = 0; i < 100; i++) {
            FbxNode child = n("N", 1);
            at.children.add(child);
            at = child;
        }
        Path binary = tmp.resolve("nested_binary.fbx");
        Files.write(binary, FbxFixtures.binary(List.of(deep), 7400));
        e = assertThrows(BadInputException.class, () -> Formats.read(binary));
        assertTrue(e.getMessage().startsWith(binary + ": byte ") && e.getMessage().endsWith(": nests nodes deeper than "
                + "64 levels"), e.getMessage());
    }
}
