// glTF writing: index types, alignment, materials with extensions and textures, validated by the Khronos validator.
package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.TextureSlot;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.VertexAttribute;
import dev.meshforge.core.testing.Fixtures;
import dev.meshforge.core.testing.Glb;
import dev.meshforge.core.testing.GltfValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfWriterTest {
    @TempDir
    Path dir;

    /** A triangle strip of {@code vertices} vertices along x, as an indexed triangle list. */
    private static Primitive ribbon(Scene s, int vertices) {
        MemorySegment pos = s.allocateFloats(vertices * 3L);
        for (int v = 0; v < vertices; v++) {
            pos.setAtIndex(ValueLayout.JAVA_FLOAT, v * 3L, v / 2);
            pos.setAtIndex(ValueLayout.JAVA_FLOAT, v * 3L + 1, v % 2);
        }
        long tris = vertices - 2;
        MemorySegment idx = s.allocateInts(tris * 3);
        for (long t = 0; t < tris; t++) {
            boolean odd = (t & 1) == 1;
            idx.setAtIndex(ValueLayout.JAVA_INT, 3 * t, (int) t);
            idx.setAtIndex(ValueLayout.JAVA_INT, 3 * t + 1, (int) (odd ? t + 2 : t + 1));
            idx.setAtIndex(ValueLayout.JAVA_INT, 3 * t + 2, (int) (odd ? t + 1 : t + 2));
        }
        return new Primitive(Topology.TRIANGLES, new VertexAttribute(VertexAttribute.POSITION, 3, vertices, pos), idx,
                tris * 3);
    }

    private static void assertValid(Path file) throws Exception {
        GltfValidator.Report r = GltfValidator.validate(file);
        assertEquals(0, r.errors(), () -> "validator errors: " + r.errorMessages());
    }

    @Test
    void indexComponentTypeFollowsTheVertexCountAndEveryViewIsFourByteAligned() throws Exception {
        int[] counts = {3, 255, 256, 65535, 65536};
        int[] expected = {5121, 5121, 5123, 5123, 5125};
        for (int k = 0; k < counts.length; k++) {
            Path out = dir.resolve("ribbon" + counts[k] + ".glb");
            try (Scene s = new Scene()) {
                s.addRoot(new Node("n").mesh(new Mesh("m").add(ribbon(s, counts[k]))));
                Formats.write(s, out, Format.GLB, WriteOptions.DEFAULTS);
            }
            JsonNode json = Glb.json(out);
            JsonNode prim = json.at("/meshes/0/primitives/0");
            assertEquals(expected[k], json.at("/accessors/" + prim.get("indices").asInt() + "/componentType").asInt(),
                    counts[k] + " vertices");
            for (JsonNode v : json.get("bufferViews")) {
                assertEquals(0, v.path("byteOffset").asInt() % 4);
            }
            JsonNode position = json.at("/accessors/" + prim.at("/attributes/POSITION").asInt());
            assertEquals(counts[k] / 2 - (counts[k] % 2 == 0 ? 1 : 0), position.at("/max/0").asDouble());
            assertValid(out);
            try (Scene back = Formats.read(out)) {
                assertEquals(counts[k] - 2, back.triangleCount());
            }
        }
    }

    @Test
    void materialsWithTextureTransformExtensionsAndSamplersSurviveGlbAndGltf() throws Exception {
        byte[] png = Fixtures.dotPng(1, 2, 0xFF0000);
        for (Format format : new Format[] {Format.GLB, Format.GLTF}) {
            Path out = dir.resolve("material." + format.extension());
            try (Scene s = new Scene()) {
                Primitive p = ribbon(s, 4);
                MemorySegment uv = s.allocateFloats(8);
                p.put(new VertexAttribute("TEXCOORD_0", 2, 4, uv));
                s.addRoot(new Node("n").local(Transform.scale(1, 1, -1)).mesh(new Mesh("m").add(p.material(0))));
                s.textures().add(new Texture("logo.png", "image/png", png, new Texture.Sampler(9728, 9728, 33071,
                        10497)));
                s.materials().add(new Material("coat", new float[] {1, 0.5f, 0.25f, 0.5f}, 0f, 0.25f, 0, -1, -1, -1,
                        -1, new float[] {0, 0, 0}, true, AlphaMode.MASK, 0.3f,
                        Map.of("baseColorTexture", new TextureSlot(0, 1, new TextureSlot.UvTransform(0.5f, 0, 1.5f,
                                2, 2, -1))),
                        Map.of("KHR_materials_clearcoat",
                                "{\"clearcoatFactor\":0.5,\"clearcoatTexture\":{\"index\":0}}")));
                Formats.write(s, out, format, WriteOptions.DEFAULTS);
            }
            assertValid(out);
            try (Scene back = Formats.read(out)) {
                Material m = back.materials().get(0);
                assertEquals(AlphaMode.MASK, m.alphaMode());
                assertEquals(0.3f, m.alphaCutoff());
                assertTrue(m.doubleSided());
                assertArrayEquals(new float[] {1, 0.5f, 0.25f, 0.5f}, m.baseColorFactor());
                assertEquals(new TextureSlot.UvTransform(0.5f, 0, 1.5f, 2, 2, -1),
                        m.slot("baseColorTexture").transform());
                JsonNode coat = GltfFixture.MAPPER.readTree(m.extensions().get("KHR_materials_clearcoat"));
                assertEquals(0.5, coat.get("clearcoatFactor").asDouble());
                assertEquals(0, coat.at("/clearcoatTexture/index").asInt());
                Texture t = back.textures().get(0);
                assertTrue(Arrays.equals(png, t.bytes()), "image bytes unchanged");
                assertEquals(new Texture.Sampler(9728, 9728, 33071, 10497), t.sampler());
                assertArrayEquals(Transform.scale(1, 1, -1).toArray(), back.roots().get(0).local().toArray(), 1e-12,
                        "a mirroring node transform");
            }
            if (format == Format.GLTF) {
                assertArrayEquals(png, Files.readAllBytes(dir.resolve("logo.png")));
                assertTrue(Files.isRegularFile(dir.resolve("material.bin")));
            }
        }
    }

    @Test
    void anEmptySceneIsAValidFile() throws Exception {
        Path out = dir.resolve("empty.glb");
        try (Scene s = new Scene()) {
            Formats.write(s, out, Format.GLB, WriteOptions.DEFAULTS);
        }
        assertValid(out);
        try (Scene back = Formats.read(out)) {
            assertEquals(0, back.triangleCount());
        }
    }
}
