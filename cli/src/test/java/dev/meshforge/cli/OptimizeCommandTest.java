package dev.meshforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizeCommandTest {
    @TempDir
    Path dir;

    private static Path cube() {
        return Path.of(System.getProperty("meshforge.testdata", "../testdata")).resolve("cube.obj");
    }

    @Test
    void theWebPresetWritesAQuantizedCompressedGlbAndReportsEachStep() throws Exception {
        Path out = dir.resolve("cube.glb");
        CommandRun r = CommandRun.of("optimize", cube().toString(), out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> steps = new ArrayList<>();
        json.get("steps").forEach(s -> steps.add(s.get("step").asText()));
        assertEquals(List.of("dedup", "prune", "merge", "weld", "reorder", "quantize", "compress"), steps);
        assertEquals(12, json.get("output_triangles").asLong());
        assertEquals(2, json.get("buffers").size(), "the data and the fallback buffer");
        try (Scene back = Formats.read(out)) {
            assertEquals(12, back.triangleCount());
        }
    }

    @Test
    void noMergeLeavesTheMergeStepOut() throws Exception {
        CommandRun r = CommandRun.of("optimize", cube().toString(), dir.resolve("cube.glb").toString(), "--json",
                "--no-merge");
        assertEquals(0, r.code(), r.err());
        List<String> steps = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("steps").forEach(s -> steps.add(s.get("step").asText()));
        assertEquals(List.of("dedup", "prune", "weld", "reorder", "quantize", "compress"), steps);
    }

    @Test
    void theKtx2OptionWritesTheTextureAsBasisKtx2() throws Exception {
        Path out = dir.resolve("box.glb");
        CommandRun r = CommandRun.of("optimize", SimplifyCommandTest.corpus("glb/BoxTextured.glb").toString(),
                out.toString(), "--ktx2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(KTX2)"), r.out());
        try (Scene back = Formats.read(out)) {
            assertEquals(1, back.textures().size());
            assertEquals("image/ktx2", back.textures().get(0).mimeType());
            byte[] b = back.textures().get(0).bytes();
            // the KTX2 file identifier: «KTX 20»\r\n\x1A\n
            assertEquals("KTX 20", new String(b, 1, 6, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Test
    void eachBadOptionIsAUsageErrorNamingIt() {
        String out = dir.resolve("x.glb").toString();
        String[][] cases = {
                {"--preset", "fast", "--preset must be web, mobile or print-preview, not 'fast'"},
                {"--max-texture-size", "-5", "--max-texture-size must be 0 (keep) or 1 to 16384 pixels, not -5"},
                {"--position-bits", "1", "--position-bits must be 0 (float) or 2 to 16, not 1"},
                {"--simplify-ratio", "0", "--simplify-ratio must be more than 0 and at most 1, not 0.0"},
                {"--jpeg-quality", "101", "--jpeg-quality must be 1 to 100, not 101"}};
        for (String[] c : cases) {
            CommandRun r = CommandRun.of("optimize", cube().toString(), out, c[0], c[1]);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(c[2]), r.err());
        }
        CommandRun stl = CommandRun.of("optimize", cube().toString(), dir.resolve("x.stl").toString());
        assertEquals(2, stl.code(), stl.err());
        assertTrue(stl.err().startsWith("OUT must end in .glb or .gltf, not x.stl"), stl.err());
    }
}
