// Opaque stays opaque and blended stays blended: a textured cube written to FBX, OBJ and GLB, imported by Blender.
package dev.meshforge.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.testing.Blender;
import dev.meshforge.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaterialBlenderTest {
    @TempDir
    Path tmp;

    /** A 4x4 RGBA PNG whose every pixel has the given alpha. */
    private static byte[] rgbaPng(int alpha) throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, alpha << 24 | 0x336699);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The split cube with one material of the given mode over an RGBA texture of the given alpha. */
    private static Scene cube(AlphaMode mode, int alpha) throws Exception {
        Scene scene = Fixtures.splitCube();
        scene.textures().add(new Texture("skin", "image/png", rgbaPng(alpha)));
        scene.materials().add(new Material("skin", new float[] {1, 1, 1, 1}, 0f, 0.5f, 0, -1, -1, -1, -1,
                new float[] {0, 0, 0}, false, mode, 0.5f, Map.of(), Map.of()));
        for (Primitive p : scene.roots().get(0).mesh().primitives()) {
            p.material(0);
        }
        return scene;
    }

    @Test
    void theFbxEmbedsAnOpaqueMaterialsImageWithoutAlphaAndTheMtlNamesOpacityAndNormalMaps() throws Exception {
        Path fbx = tmp.resolve("cube.fbx");
        Path obj = tmp.resolve("cube.obj");
        try (Scene opaque = cube(AlphaMode.OPAQUE, 255)) {
            Formats.write(opaque, fbx, Format.FBX, WriteOptions.DEFAULTS);
        }
        byte[] b = Files.readAllBytes(fbx);
        int png = indexOf(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertEquals(2, b[png + 25], "PNG colour type: RGB (2), not RGBA (6)");
        try (Scene blended = cube(AlphaMode.BLEND, 128)) {
            Material m = blended.materials().get(0);
            blended.materials().set(0, new Material(m.name(), m.baseColorFactor(), 0f, 0.5f, 0, -1, 0, -1, -1,
                    m.emissiveFactor(), false, AlphaMode.BLEND, 0.5f, Map.of(),
                    Map.of("KHR_materials_clearcoat", "{\"clearcoatFactor\":1}")));
            Formats.write(blended, obj, Format.OBJ, WriteOptions.DEFAULTS);
            Formats.write(blended, fbx, Format.FBX, WriteOptions.DEFAULTS);
            List<String> w = blended.warnings();
            assertEquals(2, w.stream().filter(x -> x.contains("cannot hold KHR_materials_clearcoat of material 'skin'"))
                    .count(), () -> "warnings: " + w);
        }
        List<String> mtl = Files.readAllLines(tmp.resolve("cube.mtl"));
        assertEquals(1, mtl.stream().filter(l -> l.startsWith("map_d -imfchan m ")).count(), () -> "MTL: " + mtl);
        assertEquals(1, mtl.stream().filter(l -> l.startsWith("norm ")).count(), () -> "MTL: " + mtl);
    }

    /**
     * Specular-glossiness to metallic-roughness pixel by pixel, as glTF-Transform's metalRough does: the diffuse
     * image is the base colour, the glossiness (the specular-glossiness image's alpha times its factor) becomes a
     * roughness image, and the specular-glossiness image stays connected as the specular colour.
     */
    @Test
    void aSpecularGlossinessMaterialArrivesInObjAndFbxWithItsGlossinessBakedIntoRoughness() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sg"));
        List<String> warnings;
        byte[] sgImage;
        try (Scene scene = cube(AlphaMode.OPAQUE, 255)) {
            sgImage = scene.textures().get(0).bytes();
            Material m = scene.materials().get(0);
            scene.materials().set(0, new Material(m.name(), new float[] {1, 1, 1, 1}, 1f, 1f, -1, -1, -1, -1, -1,
                    m.emissiveFactor(), false, AlphaMode.OPAQUE, 0.5f, Map.of(), Map.of(
                    "KHR_materials_pbrSpecularGlossiness", "{\"diffuseTexture\":{\"index\":0},"
                            + "\"glossinessFactor\":0.75,\"specularGlossinessTexture\":{\"index\":0}}")));
            Formats.write(scene, dir.resolve("cube.obj"), Format.OBJ, WriteOptions.DEFAULTS);
            Formats.write(scene, dir.resolve("cube.fbx"), Format.FBX, WriteOptions.DEFAULTS);
            warnings = scene.warnings();
        }
        assertTrue(warnings.stream().noneMatch(w -> w.contains("specularGlossinessTexture")), () -> "warnings: "
                + warnings);
        List<String> mtl = Files.readAllLines(dir.resolve("cube.mtl"));
        assertTrue(mtl.contains("Pr 1") && mtl.contains("Pm 0"), () -> "MTL: " + mtl);
        assertEquals(1, mtl.stream().filter(l -> l.startsWith("map_Kd ")).count(), () -> "MTL: " + mtl);
        assertEquals(1, mtl.stream().filter(l -> l.startsWith("map_Ks ")).count(), () -> "MTL: " + mtl);
        // a grey roughness image (Blender's OBJ importer ignores -imfchan); metallic 0 needs no image
        String roughness = mtl.stream().filter(l -> l.startsWith("map_Pr ")).findFirst()
                .orElseThrow(() -> new AssertionError("no map_Pr in " + mtl)).substring(7);
        assertTrue(mtl.stream().noneMatch(l -> l.startsWith("map_Pm ") || l.contains("imfchan")), () -> "MTL: " + mtl);
        // ImageIO (not the writer's decoder) reads both images: roughness = 1 - 0.75 x alpha, pixel by pixel
        BufferedImage source = ImageIO.read(new java.io.ByteArrayInputStream(sgImage));
        BufferedImage baked = ImageIO.read(dir.resolve(roughness).toFile());
        assertEquals(source.getWidth(), baked.getWidth());
        assertEquals(source.getHeight(), baked.getHeight());
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                int alpha = source.getRGB(x, y) >>> 24;
                int expected = Math.round(255f * (1f - 0.75f * alpha / 255f));
                assertEquals(expected, baked.getRaster().getSample(x, y, 0), "roughness at " + x + "," + y);
            }
        }
        Map<String, JsonNode> seen = Blender.describe(tmp, List.of(dir.resolve("cube.obj"), dir.resolve("cube.fbx")),
                300);
        for (JsonNode d : seen.values()) {
            // the diffuse (also the specular colour) and the roughness image
            assertEquals(2, d.path("images").asInt(), () -> "Blender: " + d);
            assertEquals("[\"skin:OPAQUE\"]", d.path("blend").toString(), () -> "Blender: " + d);
        }
        assertEquals(2, seen.size());
    }

    /** A 4x4 RGB PNG whose pixel (x, y) is {@code rgb.apply(x, y)} (0xRRGGBB). */
    private static byte[] rgbPng(java.util.function.IntBinaryOperator rgb) throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * Every texture of a metallic-roughness material reaches FBX: base colour, normal, emissive, and the packed
     * metallic-roughness image as a grey metallic (blue x factor) and a grey roughness image (green x factor),
     * connected to the classic properties Blender reads, 3ds Max's PBR material and Maya's Stingray PBS, occlusion to
     * the last two; the reader packs them back. OBJ names occlusion in a warning.
     */
    @Test
    void everyMetallicRoughnessTextureIsConnectedInFbxAndReadBack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mr"));
        byte[] packed = rgbPng((x, y) -> 0xFF0000 | (30 + 50 * x) << 8 | (200 - 40 * y));
        byte[] occlusion = rgbPng((x, y) -> (60 * x) * 0x010101);
        List<String> warnings;
        try (Scene scene = cube(AlphaMode.OPAQUE, 255)) {
            scene.textures().add(new Texture("orm.png", "image/png", packed));
            scene.textures().add(new Texture("normal.png", "image/png", rgbPng((x, y) -> 0x8080FF)));
            scene.textures().add(new Texture("glow.png", "image/png", rgbPng((x, y) -> 0x00FF00 * (x & 1))));
            scene.textures().add(new Texture("ao.png", "image/png", occlusion));
            scene.materials().set(0, new Material("skin", new float[] {1, 1, 1, 1}, 0.5f, 0.8f, 0, 1, 2, 4, 3,
                    new float[] {1, 1, 1}, false, AlphaMode.OPAQUE, 0.5f, Map.of(), Map.of()));
            Formats.write(scene, dir.resolve("cube.fbx"), Format.FBX, WriteOptions.DEFAULTS);
            Formats.write(scene, dir.resolve("cube.obj"), Format.OBJ, WriteOptions.DEFAULTS);
            Formats.write(scene, tmp.resolve("ascii.fbx"), Format.FBX, new WriteOptions(true));
            warnings = scene.warnings();
        }
        assertEquals(1, warnings.stream().filter(w -> w.contains("cube.obj") && w.contains("no occlusion")
                && w.contains("material 'skin'")).count(), () -> "warnings: " + warnings);
        String ascii = Files.readString(tmp.resolve("ascii.fbx"));
        for (String property : List.of("DiffuseColor", "NormalMap", "EmissiveColor", "ShininessExponent",
                "ReflectionFactor", "3dsMax|main|base_color_map", "3dsMax|main|norm_map", "3dsMax|main|emit_color_map",
                "3dsMax|main|roughness_map", "3dsMax|main|metalness_map", "3dsMax|main|ao_map", "Maya|TEX_color_map",
                "Maya|TEX_normal_map", "Maya|TEX_emissive_map", "Maya|TEX_roughness_map", "Maya|TEX_metallic_map",
                "Maya|TEX_ao_map")) {
            assertTrue(java.util.regex.Pattern.compile("C: \"OP\", *\\d+, *\\d+, *\"" + java.util.regex.Pattern.quote(property)
                    + "\"").matcher(ascii).find(), () -> "no texture connected to " + property);
        }
        // ImageIO (not the writer's decoder) reads the source and the grey images written beside the ASCII FBX
        BufferedImage source = ImageIO.read(new java.io.ByteArrayInputStream(packed));
        BufferedImage rough = ImageIO.read(tmp.resolve("orm_roughness.png").toFile());
        BufferedImage metal = ImageIO.read(tmp.resolve("orm_metallic.png").toFile());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int g = source.getRGB(x, y) >> 8 & 0xFF;
                int b = source.getRGB(x, y) & 0xFF;
                assertEquals(Math.round(g * 0.8f), rough.getRaster().getSample(x, y, 0), "roughness at " + x + "," + y);
                assertEquals(Math.round(b * 0.5f), metal.getRaster().getSample(x, y, 0), "metallic at " + x + "," + y);
            }
        }
        // OBJ: grey images on map_Pr / map_Pm (Blender's OBJ importer ignores -imfchan), the packed one not written
        String mtl = Files.readString(dir.resolve("cube.mtl"));
        assertTrue(mtl.contains("map_Pr orm_roughness.png\n") && mtl.contains("map_Pm orm_metallic.png\n")
                && !mtl.contains("imfchan") && !Files.exists(dir.resolve("orm.png")), mtl);
        for (Path written : List.of(dir.resolve("cube.fbx"), dir.resolve("cube.obj"))) {
        try (Scene back = Formats.read(written)) {
            Material m = back.materials().get(0);
            assertEquals(1f, m.metallicFactor());
            assertEquals(1f, m.roughnessFactor());
            assertTrue(m.baseColorTexture() >= 0 && m.normalTexture() >= 0 && m.emissiveTexture() >= 0, m::toString);
            if (written.toString().endsWith(".obj")) {
                // base colour, normal, emissive, occlusion and the packed image: the grey ones are not kept unused
                assertEquals(5, back.textures().size(), () -> written + ": " + back.textures());
            }
            BufferedImage ao = ImageIO.read(new java.io.ByteArrayInputStream(back.textures().get(m.occlusionTexture())
                    .bytes()));
            BufferedImage mr = ImageIO.read(new java.io.ByteArrayInputStream(back.textures()
                    .get(m.metallicRoughnessTexture()).bytes()));
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int g = source.getRGB(x, y) >> 8 & 0xFF;
                    int b = source.getRGB(x, y) & 0xFF;
                    assertEquals(Math.round(g * 0.8f), mr.getRGB(x, y) >> 8 & 0xFF, written + ": read roughness at " + x + "," + y);
                    assertEquals(Math.round(b * 0.5f), mr.getRGB(x, y) & 0xFF, written + ": read metallic at " + x + "," + y);
                    assertEquals(60 * x, ao.getRGB(x, y) & 0xFF, "read occlusion at " + x + "," + y);
                }
            }
        }
        }
        Map<String, JsonNode> seen = Blender.describe(tmp, List.of(dir.resolve("cube.fbx"), dir.resolve("cube.obj")),
                300);
        for (Path f : List.of(dir.resolve("cube.fbx"), dir.resolve("cube.obj"))) {
            JsonNode d = seen.get(f.toString());
            assertEquals("[\"skin:Base Color 4x4\",\"skin:Emission 4x4\",\"skin:Metallic 4x4\",\"skin:Normal 4x4\","
                    + "\"skin:Roughness 4x4\"]", d.path("sockets").toString(), () -> f + " in Blender: " + d);
            assertEquals("[\"skin:OPAQUE\"]", d.path("blend").toString(), () -> f + " in Blender: " + d);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no PNG embedded");
    }

    @Test
    void anOpaqueMaterialOverAnRgbaImageStaysOpaqueAndABlendedOneStaysBlended() throws Exception {
        Blender.executable();
        List<Path> files = new ArrayList<>();
        for (AlphaMode mode : List.of(AlphaMode.OPAQUE, AlphaMode.BLEND)) {
            try (Scene scene = cube(mode, mode == AlphaMode.OPAQUE ? 255 : 128)) {
                for (Format target : List.of(Format.FBX, Format.OBJ, Format.GLB)) {
                    Path dir = Files.createDirectories(tmp.resolve(mode + "-" + target));
                    Path file = dir.resolve("cube." + target.name().toLowerCase(Locale.ROOT));
                    Formats.write(scene, file, target, WriteOptions.DEFAULTS);
                    files.add(file);
                }
            }
        }
        Map<String, JsonNode> seen = Blender.describe(tmp, files, 300);
        List<String> got = new ArrayList<>();
        for (Path f : files) {
            JsonNode d = seen.get(f.toString());
            got.add(f.getParent().getFileName() + " " + (d == null ? "missing" : d.path("blend") + " images "
                    + d.path("images")));
        }
        assertEquals(List.of(
                "OPAQUE-FBX [\"skin:OPAQUE\"] images 1", "OPAQUE-OBJ [\"skin:OPAQUE\"] images 1",
                "OPAQUE-GLB [\"skin:OPAQUE\"] images 1", "BLEND-FBX [\"skin:BLEND\"] images 1",
                "BLEND-OBJ [\"skin:BLEND\"] images 1", "BLEND-GLB [\"skin:BLEND\"] images 1"), got);
    }
}
