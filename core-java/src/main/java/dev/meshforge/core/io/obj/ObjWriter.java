// Writes a scene as OBJ with an MTL library and its texture files beside it, geometry placed in world space.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.internal.MaterialLoss;
import dev.meshforge.core.io.internal.MetallicRoughnessView;
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

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OBJ output: one {@code o} object per node with a mesh, named after the node, and a {@code g} group named after
 * its mesh (instances are written once each, in world space, normals by the inverse transpose, winding kept under
 * mirroring), a {@code usemtl} per primitive; within one placement, equal positions (with equal colours), UVs
 * and normals are written once and shared, so that a mesh split per attribute arrives connected, and vertices
 * no element uses are left out; positions with
 * {@code r g b} where the primitive has COLOR_0, {@code vt} with V flipped back to OBJ's upward V, {@code vn};
 * lines as {@code l}, points as {@code p}. Materials go to {@code <stem>.mtl} (Kd, d, Ke, Ns and the PBR
 * extension Pr/Pm, map_Kd, map_Bump with -bm, map_Ke, map_Pr/map_Pm as grey roughness and metallic images split
 * from the metallic-roughness texture with the factors baked in (its G/B channels with -imfchan where it cannot be
 * decoded), map_ao); the textures the MTL names are written beside it, the scene's with their bytes unchanged. Numbers are
 * written in the shortest form that reads back to the same float (float64 where the scene has it).
 */
public final class ObjWriter implements SceneWriter {

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String stem = Format.stem(file);
        Set<String> usedFileNames = new HashSet<>();
        usedFileNames.add(file.getFileName().toString().toLowerCase(Locale.ROOT));
        String[] materialNames = materialNames(scene);
        boolean anyMaterial = false;
        boolean defaultNeeded = false;
        List<Node> nodes = new ArrayList<>();
        List<Transform> placements = new ArrayList<>();
        scene.forEachPlacedNode((n, t) -> {
            if (n.mesh() != null) {
                nodes.add(n);
                placements.add(t);
            }
        });
        List<Mesh> meshes = nodes.stream().map(Node::mesh).toList();
        for (Mesh m : meshes) {
            for (Primitive p : m.primitives()) {
                boolean has = p.material() >= 0 && p.material() < materialNames.length;
                anyMaterial |= has;
                defaultNeeded |= !has;
            }
        }
        String mtlName = null;
        String defaultName = "meshforge_default";
        if (anyMaterial) {
            mtlName = unique(usedFileNames, stem, ".mtl");
            while (List.of(materialNames).contains(defaultName)) {
                defaultName += "_";
            }
            // Importers read map_Pr/map_Pm's image as a grey value (Blender 3.4 ignores -imfchan): a packed
            // metallic-roughness image is written as one grey image a value, factors baked in.
            MetallicRoughnessView view = MetallicRoughnessView.splitting(scene, file + ": OBJ/MTL", scene::warn);
            String[] textureFiles = writeTextures(view.textures(), referenced(view, materialNames.length), dir,
                    usedFileNames);
            writeMtl(view, dir.resolve(mtlName), materialNames, textureFiles, defaultNeeded ? defaultName : null);
            MaterialLoss.warnExtensions(scene, file, "OBJ/MTL");
            MaterialLoss.warnOcclusion(scene, file, "OBJ/MTL's PBR extension has no occlusion map",
                    "written as map_ao, which few importers read (Blender 3.4's OBJ importer does not)");
        }
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
            StringBuilder sb = new StringBuilder(1 << 16);
            sb.append("# written by meshforge\n");
            if (mtlName != null) {
                sb.append("mtllib ").append(mtlName).append('\n');
            }
            long[] bases = {0, 0, 0};
            Set<String> objectNames = new HashSet<>();
            Set<String> groupNames = new HashSet<>();
            for (int i = 0; i < meshes.size(); i++) {
                Mesh m = meshes.get(i);
                String nodeName = nodes.get(i).name();
                String o = unique(objectNames, clean(nodeName == null || nodeName.isBlank()
                        ? (m.name().isEmpty() ? "object" : m.name()) : nodeName), "");
                sb.append("o ").append(o).append('\n');
                String g = unique(groupNames, clean(m.name().isEmpty() ? "mesh" : m.name()), "");
                sb.append("g ").append(g).append('\n');
                // One placement's primitives share positions, UVs and normals where the values are equal, so that a
                // mesh split per attribute (as glTF needs) arrives connected.
                Shared shared = new Shared();
                for (Primitive p : m.primitives()) {
                    if (mtlName != null) {
                        boolean has = p.material() >= 0 && p.material() < materialNames.length;
                        sb.append("usemtl ").append(has ? materialNames[p.material()] : defaultName).append('\n');
                    }
                    primitive(sb, out, p, placements.get(i), bases, shared);
                }
            }
            flush(sb, out);
        }
    }

    private static void flush(StringBuilder sb, OutputStream out) throws IOException {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.setLength(0);
    }

    /** The values a placement has written so far, each with its 1-based OBJ index. */
    private static final class Shared {
        final Map<Position, Long> v = new HashMap<>();
        final Map<Long, Long> vt = new HashMap<>();
        final Map<Normal, Long> vn = new HashMap<>();
    }

    /** A written position with its colour (NaN when none); -0 is taken as 0, as the text writes it. */
    private record Position(double x, double y, double z, float r, float g, float b) {
    }

    private record Normal(float x, float y, float z) {
    }

    private static void primitive(StringBuilder sb, OutputStream out, Primitive p, Transform t, long[] bases,
                                  Shared shared) throws IOException {
        long n = p.vertexCount();
        MemorySegment exact = p.positions64();
        VertexAttribute color = p.attribute("COLOR_0");
        if (color != null && color.components() < 3) {
            color = null;
        }
        VertexAttribute uv = p.topology() != Topology.POINTS ? p.attribute("TEXCOORD_0") : null;
        VertexAttribute normal = p.topology() == Topology.TRIANGLES ? p.attribute(VertexAttribute.NORMAL) : null;
        boolean[] used = p.usedVertices();
        long[] vIndex = new long[(int) n];
        long[] tIndex = uv != null ? new long[(int) n] : null;
        long[] nIndex = normal != null ? new long[(int) n] : null;
        double[] w = new double[3];
        double[] nm = normal != null ? normalMatrix(t) : null;
        for (int v = 0; v < n; v++) {
            if (!used[v]) {
                continue;
            }
            p.position(v, w);
            if (!t.isIdentity()) {
                t.applyToPoint(w[0], w[1], w[2], w);
            }
            Position key = color == null
                    ? new Position(w[0] + 0.0, w[1] + 0.0, w[2] + 0.0, Float.NaN, Float.NaN, Float.NaN)
                    : new Position(w[0] + 0.0, w[1] + 0.0, w[2] + 0.0, color.get(v, 0) + 0f, color.get(v, 1) + 0f,
                    color.get(v, 2) + 0f);
            Long at = shared.v.get(key);
            if (at == null) {
                at = ++bases[0];
                shared.v.put(key, at);
                sb.append('v');
                for (int k = 0; k < 3; k++) {
                    sb.append(' ');
                    if (exact != null || !t.isIdentity()) {
                        number(sb, w[k]);
                    } else {
                        number(sb, (float) w[k]);
                    }
                }
                if (color != null) {
                    sb.append(' ');
                    number(sb, key.r());
                    sb.append(' ');
                    number(sb, key.g());
                    sb.append(' ');
                    number(sb, key.b());
                }
                sb.append('\n');
            }
            vIndex[v] = at;
            if (uv != null) {
                float u = uv.get(v, 0) + 0f;
                float vv = 1f - uv.get(v, 1) + 0f;
                long bits = ((long) Float.floatToIntBits(u) << 32) | (Float.floatToIntBits(vv) & 0xFFFF_FFFFL);
                Long ti = shared.vt.get(bits);
                if (ti == null) {
                    ti = ++bases[1];
                    shared.vt.put(bits, ti);
                    sb.append("vt ");
                    number(sb, u);
                    sb.append(' ');
                    number(sb, vv);
                    sb.append('\n');
                }
                tIndex[v] = ti;
            }
            if (normal != null) {
                Normal nk = normal(normal, v, nm);
                Long ni = shared.vn.get(nk);
                if (ni == null) {
                    ni = ++bases[2];
                    shared.vn.put(nk, ni);
                    sb.append("vn ");
                    number(sb, nk.x());
                    sb.append(' ');
                    number(sb, nk.y());
                    sb.append(' ');
                    number(sb, nk.z());
                    sb.append('\n');
                }
                nIndex[v] = ni;
            }
            if (sb.length() > 60_000) {
                flush(sb, out);
            }
        }
        switch (p.topology()) {
            case TRIANGLES -> {
                boolean mirror = t.determinant3() < 0;
                for (long tri = 0; tri < p.triangleCount(); tri++) {
                    int a = p.index(3 * tri);
                    int b = p.index(3 * tri + 1);
                    int c = p.index(3 * tri + 2);
                    sb.append('f');
                    corner(sb, a, vIndex, tIndex, nIndex);
                    corner(sb, mirror ? c : b, vIndex, tIndex, nIndex);
                    corner(sb, mirror ? b : c, vIndex, tIndex, nIndex);
                    sb.append('\n');
                    if (sb.length() > 60_000) {
                        flush(sb, out);
                    }
                }
            }
            case LINES -> {
                for (long i = 0; i + 1 < p.indexCount(); i += 2) {
                    sb.append('l');
                    corner(sb, p.index(i), vIndex, tIndex, null);
                    corner(sb, p.index(i + 1), vIndex, tIndex, null);
                    sb.append('\n');
                }
            }
            case POINTS -> {
                for (int v = 0; v < n; v++) {
                    sb.append("p ").append(vIndex[v]).append('\n');
                }
            }
        }
    }

    /** The normal of vertex v in world space (by the inverse transpose {@code nm}, or as it is), unit length. */
    private static Normal normal(VertexAttribute normal, int v, double[] nm) {
        double x = normal.get(v, 0);
        double y = normal.get(v, 1);
        double z = normal.get(v, 2);
        if (nm == null) {
            return new Normal((float) x + 0f, (float) y + 0f, (float) z + 0f);
        }
        double nx = nm[0] * x + nm[3] * y + nm[6] * z;
        double ny = nm[1] * x + nm[4] * y + nm[7] * z;
        double nz = nm[2] * x + nm[5] * y + nm[8] * z;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        len = len > 0 ? len : 1;
        return new Normal((float) (nx / len) + 0f, (float) (ny / len) + 0f, (float) (nz / len) + 0f);
    }

    private static void corner(StringBuilder sb, int local, long[] v, long[] t, long[] n) {
        sb.append(' ').append(v[local]);
        if (t != null || n != null) {
            sb.append('/');
            if (t != null) {
                sb.append(t[local]);
            }
            if (n != null) {
                sb.append('/').append(n[local]);
            }
        }
    }

    /** The inverse transpose of the 3x3 part (column-major), or null for the identity. */
    private static double[] normalMatrix(Transform t) {
        if (t.isIdentity()) {
            return null;
        }
        double a = t.get(0, 0), b = t.get(0, 1), c = t.get(0, 2);
        double d = t.get(1, 0), e = t.get(1, 1), f = t.get(1, 2);
        double g = t.get(2, 0), h = t.get(2, 1), i = t.get(2, 2);
        // The cofactor matrix is det times the inverse transpose; normals are normalized after, so only the
        // determinant's sign matters (a mirror would otherwise turn them inward).
        double sign = t.determinant3() < 0 ? -1 : 1;
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                m[col * 3 + r] = sign * cofactorAt(a, b, c, d, e, f, g, h, i, r, col);
            }
        }
        return m;
    }

    /** Cofactor (r, c) of the 3x3 matrix with rows (a b c), (d e f), (g h i). */
    private static double cofactorAt(double a, double b, double c, double d, double e, double f, double g,
                                     double h, double i, int r, int col) {
        double[][] mm = {{a, b, c}, {d, e, f}, {g, h, i}};
        int r0 = r == 0 ? 1 : 0;
        int r1 = r == 2 ? 1 : 2;
        int c0 = col == 0 ? 1 : 0;
        int c1 = col == 2 ? 1 : 2;
        double minor = mm[r0][c0] * mm[r1][c1] - mm[r0][c1] * mm[r1][c0];
        return ((r + col) % 2 == 0 ? 1 : -1) * minor;
    }

    static void number(StringBuilder sb, float f) {
        if (f == (long) f && Math.abs(f) < 1e15) {
            sb.append((long) f);
        } else if (Float.isFinite(f)) {
            sb.append(f);
        } else {
            sb.append(Float.isNaN(f) ? "nan" : f > 0 ? "inf" : "-inf");
        }
    }

    static void number(StringBuilder sb, double d) {
        if (d == (long) d && Math.abs(d) < 1e15) {
            sb.append((long) d);
        } else if (Double.isFinite(d)) {
            sb.append(d);
        } else {
            sb.append(Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf");
        }
    }

    /** Unique names without blanks (other readers split on them). */
    private static String[] materialNames(Scene scene) {
        Set<String> used = new HashSet<>();
        String[] names = new String[scene.materials().size()];
        for (int i = 0; i < names.length; i++) {
            String n = scene.materials().get(i).name();
            names[i] = unique(used, clean(n == null || n.isBlank() ? "material" + i : n), "");
        }
        return names;
    }

    private static String clean(String name) {
        return name.strip().replaceAll("[\\s#]+", "_");
    }

    private static String unique(Set<String> used, String base, String suffix) {
        String candidate = base + suffix;
        for (int k = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); k++) {
            candidate = base + "_" + k + suffix;
        }
        return candidate;
    }

    /** The textures the MTL names: each material's maps, a split metallic-roughness image by its grey images. */
    private static boolean[] referenced(MetallicRoughnessView view, int materials) {
        boolean[] used = new boolean[view.textures().size()];
        for (int i = 0; i < materials; i++) {
            Material m = view.material(i);
            boolean split = view.roughnessTexture(i) >= 0;
            for (int t : new int[] {m.baseColorTexture(), m.normalTexture(), m.emissiveTexture(),
                    m.occlusionTexture(), view.specularTexture(i), split ? -1 : m.metallicRoughnessTexture(),
                    view.roughnessTexture(i), view.metallicTexture(i)}) {
                if (t >= 0 && t < used.length) {
                    used[t] = true;
                }
            }
        }
        return used;
    }

    /**
     * Writes each texture the MTL names that has bytes once (shared byte arrays once), returning file names by
     * texture (null for one not written).
     */
    private static String[] writeTextures(List<Texture> textures, boolean[] used, Path dir,
                                          Set<String> usedFileNames) throws IOException {
        String[] names = new String[textures.size()];
        Map<byte[], String> written = new IdentityHashMap<>();
        Map<String, String> missing = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (!used[i]) {
                continue;
            }
            Texture t = textures.get(i);
            String ext = extension(t.mimeType());
            String base = t.name() == null || t.name().isBlank() ? "texture" + i : t.name();
            base = base.replace('\\', '/');
            base = clean(base.substring(base.lastIndexOf('/') + 1));
            int dot = base.lastIndexOf('.');
            String stemPart = dot > 0 ? base.substring(0, dot) : base;
            String extPart = dot > 0 ? base.substring(dot) : ext;
            if (t.bytes() == null || t.bytes().length == 0) {
                // Nothing to write: keep the reference so the material still names its image.
                names[i] = missing.computeIfAbsent(base, k -> stemPart + extPart);
                continue;
            }
            String known = written.get(t.bytes());
            if (known == null) {
                known = unique(usedFileNames, stemPart, extPart);
                Files.write(dir.resolve(known), t.bytes());
                written.put(t.bytes(), known);
            }
            names[i] = known;
        }
        return names;
    }

    private static String extension(String mime) {
        return switch (mime == null ? "" : mime.toLowerCase(Locale.ROOT)) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "image/ktx2" -> ".ktx2";
            case "image/gif" -> ".gif";
            case "image/bmp" -> ".bmp";
            case "image/x-tga" -> ".tga";
            default -> ".bin";
        };
    }

    private static void writeMtl(MetallicRoughnessView view, Path mtl, String[] names, String[] textureFiles,
                                 String defaultName) throws IOException {
        StringBuilder sb = new StringBuilder("# written by meshforge\n");
        for (int i = 0; i < names.length; i++) {
            Material m = view.material(i);
            sb.append("\nnewmtl ").append(names[i]).append('\n');
            float[] c = m.baseColorFactor();
            sb.append("Kd ");
            triple(sb, c[0], c[1], c[2]);
            float alpha = c.length > 3 ? c[3] : 1f;
            if (alpha < 1f || m.alphaMode() == AlphaMode.BLEND) {
                sb.append("d ");
                number(sb, alpha);
                sb.append('\n');
            }
            float[] e = m.emissiveFactor();
            if (e != null && (e[0] > 0 || e[1] > 0 || e[2] > 0 || m.emissiveTexture() >= 0)) {
                float s = emissiveStrength(m);
                sb.append("Ke ");
                triple(sb, e[0] * s, e[1] * s, e[2] * s);
            }
            float r = Math.max(0.01f, Math.min(1f, m.roughnessFactor()));
            sb.append("Ns ");
            number(sb, Math.min(1000f, Math.max(0f, 2f / (r * r) - 2f)));
            sb.append("\nPr ");
            number(sb, m.roughnessFactor());
            sb.append("\nPm ");
            number(sb, m.metallicFactor());
            sb.append("\nillum 2\n");
            map(sb, "map_Kd", "", m.baseColorTexture(), textureFiles, m.slot("baseColorTexture"));
            if (m.alphaMode() == AlphaMode.BLEND) {
                // the base colour image's alpha as the opacity map, so that importers blend what glTF blends
                map(sb, "map_d", "-imfchan m ", m.baseColorTexture(), textureFiles, m.slot("baseColorTexture"));
            }
            TextureSlot ns = m.slot("normalTexture");
            String bm = ns.scale() != 1f ? "-bm " + ns.scale() + " " : "";
            map(sb, "norm", bm, m.normalTexture(), textureFiles, ns);
            map(sb, "map_Bump", bm, m.normalTexture(), textureFiles, ns);
            map(sb, "map_Ke", "", m.emissiveTexture(), textureFiles, m.slot("emissiveTexture"));
            TextureSlot mrs = m.slot("metallicRoughnessTexture");
            if (view.roughnessTexture(i) >= 0) {
                // grey images replacing Pr and Pm (a metallic factor of 0 needs none)
                map(sb, "map_Pr", "", view.roughnessTexture(i), textureFiles, mrs);
                map(sb, "map_Pm", "", view.metallicTexture(i), textureFiles, mrs);
            } else {
                map(sb, "map_Pr", "-imfchan g ", m.metallicRoughnessTexture(), textureFiles, mrs);
                map(sb, "map_Pm", "-imfchan b ", m.metallicRoughnessTexture(), textureFiles, mrs);
            }
            map(sb, "map_ao", "", m.occlusionTexture(), textureFiles, m.slot("occlusionTexture"));
            map(sb, "map_Ks", "", view.specularTexture(i), textureFiles, TextureSlot.DEFAULT);
        }
        if (defaultName != null) {
            sb.append("\nnewmtl ").append(defaultName).append("\nKd 0.8 0.8 0.8\nNs 0\nillum 2\n");
        }
        Files.write(mtl, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static float emissiveStrength(Material m) {
        String ext = m.extensions().get("KHR_materials_emissive_strength");
        if (ext == null) {
            return 1f;
        }
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("\"emissiveStrength\"\\s*:\\s*([-+0-9.eE]+)")
                .matcher(ext);
        return x.find() ? Float.parseFloat(x.group(1)) : 1f;
    }

    private static void triple(StringBuilder sb, float a, float b, float c) {
        number(sb, a);
        sb.append(' ');
        number(sb, b);
        sb.append(' ');
        number(sb, c);
        sb.append('\n');
    }

    private static void map(StringBuilder sb, String key, String options, int texture, String[] files,
                            TextureSlot slot) {
        if (texture < 0 || texture >= files.length || files[texture] == null) {
            return;
        }
        sb.append(key).append(' ').append(options);
        TextureSlot.UvTransform uv = slot.transform();
        if (uv != null) {
            // Inverse of the reader's mapping: the scene's V points down, OBJ's up.
            sb.append("-s ").append(uv.scaleU()).append(' ').append(uv.scaleV()).append(" 1 ");
            sb.append("-o ").append(uv.offsetU()).append(' ').append(1f - uv.scaleV() - uv.offsetV()).append(" 0 ");
        }
        sb.append(files[texture]).append('\n');
    }
}
