// Writes a scene as FBX 7.4: binary by default, ASCII on request; textures embedded or written beside.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.io.internal.MaterialLoss;
import dev.meshforge.core.io.internal.OpaquePng;
import dev.meshforge.core.io.internal.MetallicRoughnessView;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Skin;
import dev.meshforge.core.scene.Texture;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.VertexAttribute;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete node set consumers expect: FBXHeaderExtension, GlobalSettings (unit and axes of the scene),
 * Documents, References, Definitions with property templates, Objects (Model, Geometry, Material, Texture,
 * Video, Deformer, Pose) and Connections. Each distinct mesh is one Geometry (its primitives merged, materials
 * by polygon), placed by one Model per node. Textures are embedded as Video Content in binary files, or
 * written beside the file ({@code embed} false, and always for ASCII). Skinned nodes get a Skin deformer with
 * one Cluster per joint and a bind pose.
 */
public final class FbxWriter implements SceneWriter {
    private final boolean embed;

    /** Embeds textures in binary files. */
    public FbxWriter() {
        this(true);
    }

    /** @param embed embed textures (binary only); otherwise they are written beside the file */
    public FbxWriter(boolean embed) {
        this.embed = embed;
    }

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        boolean inline = embed && !options.ascii();
        Build b = new Build(scene, inline, MetallicRoughnessView.splitting(scene, file + ": FBX", scene::warn));
        List<FbxNode> top = b.run();
        MaterialLoss.warnExtensions(scene, file, "FBX");
        long[] loose = {0};
        scene.forEachPlacedMesh((mesh, t) -> loose[0] += mesh.primitives().stream()
                .filter(p -> p.topology() != Topology.TRIANGLES).count());
        if (loose[0] > 0) {
            scene.warn(file + ": the FBX writer writes triangles only; " + loose[0] + " placed point or line "
                    + "primitives were left out");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (options.ascii()) {
            Files.writeString(file, FbxEncoder.ascii(top), StandardCharsets.UTF_8);
        } else {
            Files.write(file, FbxEncoder.binary(top));
        }
        if (!inline) {
            for (Map.Entry<String, byte[]> e : b.beside.entrySet()) {
                Files.write(file.toAbsolutePath().getParent().resolve(e.getKey()), e.getValue());
            }
        }
    }

    /** File names and bytes of the textures to put beside the model (or into its zip). */
    static Map<String, byte[]> textureFiles(Scene scene) {
        Build b = new Build(scene, false, MetallicRoughnessView.splitting(scene, "", w -> { }));
        b.run();
        return b.beside;
    }

    /** One write: ids, and the FBX objects and connections made so far. */
    private static final class Build {
        private final Scene scene;
        private final boolean inline;
        private final FbxNode objects = new FbxNode("Objects");
        private final FbxNode connections = new FbxNode("Connections");
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final Map<Node, Long> modelIds = new IdentityHashMap<>();
        private final Map<Mesh, Long> geometryIds = new IdentityHashMap<>();
        private final Map<Mesh, int[]> meshSlots = new IdentityHashMap<>();
        /** Per mesh, the control point of each of its triangle primitives' vertices in order (-1: unused). */
        private final Map<Mesh, int[]> meshControlPoints = new IdentityHashMap<>();
        private final long[] materialIds;
        private final long[] textureIds;
        /** The materials as metallic-roughness and the textures, with glossiness baked where needed. */
        private final MetallicRoughnessView view;
        final Map<String, byte[]> beside = new LinkedHashMap<>();
        private final Map<Integer, String> textureNames = new HashMap<>();
        private long next = 1_000_000L;

        Build(Scene scene, boolean inline, MetallicRoughnessView view) {
            this.scene = scene;
            this.inline = inline;
            this.view = view;
            this.materialIds = new long[scene.materials().size()];
            this.textureIds = new long[view.textures().size()];
        }

        List<FbxNode> run() {
            textures();
            materials();
            for (Node root : scene.roots()) {
                model(root, 0L);
            }
            skins();
            Map<Mesh, long[]> shapeChannels = FbxBlendShapeWriter.write(geometryIds, meshControlPoints, objects,
                    this::id, this::connect, this::count);
            FbxAnimationWriter.write(scene, objects, modelIds, shapeChannels, this::id, this::connect, this::count,
                    Build::decompose);
            List<FbxNode> top = new ArrayList<>();
            top.add(header());
            top.add(leaf("FileId", new byte[] {0x28, (byte) 0xb3, 0x2a, (byte) 0xeb, (byte) 0xb6, 0x24, (byte) 0xcc,
                    (byte) 0xc2, (byte) 0xbf, (byte) 0xc8, (byte) 0xb0, 0x2a, (byte) 0xa9, 0x2b, (byte) 0xfc, (byte) 0xf1}));
            top.add(leaf("CreationTime", "1970-01-01 10:00:00:000"));
            top.add(leaf("Creator", "meshforge"));
            top.add(globalSettings());
            top.add(documents());
            top.add(new FbxNode("References"));
            top.add(definitions());
            top.add(objects);
            top.add(connections);
            return top;
        }

        private long id() {
            return next++;
        }

        private void count(String type) {
            counts.merge(type, 1, Integer::sum);
        }

        private void connect(String type, long child, long parent, String property) {
            FbxNode c = leaf("C", type, child, parent);
            if (property != null) {
                c.props.add(property);
            }
            connections.children.add(c);
        }

        private FbxNode header() {
            FbxNode h = new FbxNode("FBXHeaderExtension");
            h.children.add(leaf("FBXHeaderVersion", 1003));
            h.children.add(leaf("FBXVersion", FbxEncoder.VERSION));
            h.children.add(leaf("EncryptionType", 0));
            FbxNode ts = new FbxNode("CreationTimeStamp");
            ts.children.add(leaf("Version", 1000));
            for (String f : new String[] {"Year", "Month", "Day", "Hour", "Minute", "Second", "Millisecond"}) {
                ts.children.add(leaf(f, f.equals("Year") ? 1970 : f.equals("Month") || f.equals("Day") ? 1 : 0));
            }
            h.children.add(ts);
            h.children.add(leaf("Creator", "meshforge"));
            return h;
        }

        private FbxNode globalSettings() {
            FbxNode g = new FbxNode("GlobalSettings");
            g.children.add(leaf("Version", 1000));
            boolean zUp = scene.units().upAxis() == UpAxis.Z;
            double unit = scene.units().metresPerUnit() * 100.0;
            g.children.add(props(
                    p("UpAxis", "int", "Integer", "", zUp ? 2 : 1),
                    p("UpAxisSign", "int", "Integer", "", 1),
                    p("FrontAxis", "int", "Integer", "", zUp ? 1 : 2),
                    p("FrontAxisSign", "int", "Integer", "", zUp ? -1 : 1),
                    p("CoordAxis", "int", "Integer", "", 0),
                    p("CoordAxisSign", "int", "Integer", "", 1),
                    p("OriginalUpAxis", "int", "Integer", "", zUp ? 2 : 1),
                    p("OriginalUpAxisSign", "int", "Integer", "", 1),
                    p("UnitScaleFactor", "double", "Number", "", unit),
                    p("OriginalUnitScaleFactor", "double", "Number", "", unit),
                    p("AmbientColor", "ColorRGB", "Color", "", 0.0, 0.0, 0.0),
                    p("DefaultCamera", "KString", "", "", "Producer Perspective"),
                    p("TimeMode", "enum", "", "", 6),
                    p("TimeSpanStart", "KTime", "Time", "", 0L),
                    p("TimeSpanStop", "KTime", "Time", "", 46186158000L),
                    p("CustomFrameRate", "double", "Number", "", -1.0)));
            return g;
        }

        private FbxNode documents() {
            FbxNode d = new FbxNode("Documents");
            d.children.add(leaf("Count", 1));
            FbxNode doc = leaf("Document", id(), "Scene", "Scene");
            doc.children.add(props(p("SourceObject", "object", "", ""),
                    p("ActiveAnimStackName", "KString", "", "", "")));
            doc.children.add(leaf("RootNode", 0L));
            d.children.add(doc);
            return d;
        }

        private FbxNode definitions() {
            FbxNode d = new FbxNode("Definitions");
            d.children.add(leaf("Version", 100));
            int total = 1;
            for (int c : counts.values()) {
                total += c;
            }
            d.children.add(leaf("Count", total));
            FbxNode gs = leaf("ObjectType", "GlobalSettings");
            gs.children.add(leaf("Count", 1));
            d.children.add(gs);
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                FbxNode t = leaf("ObjectType", e.getKey());
                t.children.add(leaf("Count", e.getValue()));
                FbxNode tpl = template(e.getKey());
                if (tpl != null) {
                    t.children.add(tpl);
                }
                d.children.add(t);
            }
            return d;
        }

        private static FbxNode template(String type) {
            FbxNode t;
            switch (type) {
                case "Model" -> {
                    t = leaf("PropertyTemplate", "FbxNode");
                    t.children.add(props(
                            p("RotationOrder", "enum", "", "", 0),
                            p("InheritType", "enum", "", "", 0),
                            p("Lcl Translation", "Lcl Translation", "", "A", 0.0, 0.0, 0.0),
                            p("Lcl Rotation", "Lcl Rotation", "", "A", 0.0, 0.0, 0.0),
                            p("Lcl Scaling", "Lcl Scaling", "", "A", 1.0, 1.0, 1.0),
                            p("Visibility", "Visibility", "", "A", 1.0)));
                }
                case "Geometry" -> {
                    t = leaf("PropertyTemplate", "FbxMesh");
                    t.children.add(props(p("Color", "ColorRGB", "Color", "", 0.8, 0.8, 0.8),
                            p("Primary Visibility", "bool", "", "", 1)));
                }
                case "Material" -> {
                    t = leaf("PropertyTemplate", "FbxSurfacePhong");
                    t.children.add(props(
                            p("ShadingModel", "KString", "", "", "Phong"),
                            p("DiffuseColor", "Color", "", "A", 0.8, 0.8, 0.8),
                            p("DiffuseFactor", "Number", "", "A", 1.0),
                            p("EmissiveColor", "Color", "", "A", 0.0, 0.0, 0.0),
                            p("EmissiveFactor", "Number", "", "A", 1.0),
                            p("TransparencyFactor", "Number", "", "A", 0.0),
                            p("Opacity", "double", "Number", "", 1.0),
                            p("Shininess", "double", "Number", "", 20.0)));
                }
                case "Texture" -> {
                    t = leaf("PropertyTemplate", "FbxFileTexture");
                    t.children.add(props(p("UVSet", "KString", "", "", "default"),
                            p("UseMaterial", "bool", "", "", 0)));
                }
                default -> {
                    return null;
                }
            }
            return t;
        }

        /**
         * The textures only opaque materials use as base colour: Blender's FBX importer blends a material whose
         * diffuse image has an alpha channel, so theirs is written without it.
         */
        private boolean[] opaqueBaseColors() {
            boolean[] opaque = new boolean[view.textures().size()];
            boolean[] other = new boolean[opaque.length];
            for (int i = 0; i < scene.materials().size(); i++) {
                Material m = view.material(i);
                int t = m.baseColorTexture();
                if (t >= 0 && t < opaque.length) {
                    (m.alphaMode() == AlphaMode.OPAQUE ? opaque : other)[t] = true;
                }
                // a specular-glossiness texture is connected as specular colour (RGB): its glossiness (alpha) is
                // baked into a roughness image, so it too may lose its alpha channel
                for (int u : new int[] {m.metallicRoughnessTexture(), m.normalTexture(), m.occlusionTexture(),
                        m.emissiveTexture()}) {
                    if (u >= 0 && u < opaque.length) {
                        other[u] = true;
                    }
                }
            }
            for (int i = 0; i < opaque.length; i++) {
                opaque[i] &= !other[i];
            }
            return opaque;
        }

        private void textures() {
            Map<byte[], String> named = new IdentityHashMap<>();
            boolean[] opaqueOnly = opaqueBaseColors();
            // only connected textures are written: a packed metallic-roughness image split into grey ones is not
            boolean[] used = new boolean[view.textures().size()];
            for (int i = 0; i < scene.materials().size(); i++) {
                for (int[] l : links(i)) {
                    used[l[0]] = true;
                }
            }
            for (int i = 0; i < view.textures().size(); i++) {
                if (!used[i]) {
                    continue;
                }
                Texture t = view.textures().get(i);
                if (opaqueOnly[i] && OpaquePng.hasAlphaChannel(t.bytes())) {
                    t = new Texture(t.name(), t.mimeType(), OpaquePng.withoutAlpha(t.bytes()), t.sampler());
                }
                String name = textureFileName(t, i);
                if (t.bytes() != null) {
                    String prior = named.get(t.bytes());
                    if (prior != null) {
                        name = prior;
                    } else {
                        while (beside.containsKey(name)) {
                            name = "t" + i + "_" + name;
                        }
                        named.put(t.bytes(), name);
                        beside.put(name, t.bytes());
                    }
                }
                textureNames.put(i, name);
                long tid = id();
                textureIds[i] = tid;
                FbxNode tex = leaf("Texture", tid, FbxMaterials.baseName(name) + "\u0000\u0001Texture", "");
                tex.children.add(leaf("Type", "TextureVideoClip"));
                tex.children.add(leaf("Version", 202));
                tex.children.add(leaf("TextureName", name + "\u0000\u0001Texture"));
                tex.children.add(props(p("UVSet", "KString", "", "", "map1"), p("UseMaterial", "bool", "", "", 1)));
                tex.children.add(leaf("Media", name + "\u0000\u0001Video"));
                tex.children.add(leaf("FileName", name));
                tex.children.add(leaf("RelativeFilename", name));
                tex.children.add(leaf("ModelUVTranslation", 0.0, 0.0));
                tex.children.add(leaf("ModelUVScaling", 1.0, 1.0));
                tex.children.add(leaf("Texture_Alpha_Source", "None"));
                tex.children.add(leaf("Cropping", 0, 0, 0, 0));
                objects.children.add(tex);
                count("Texture");
                if (t.bytes() != null) {
                    long vid = id();
                    FbxNode video = leaf("Video", vid, name + "\u0000\u0001Video", "Clip");
                    video.children.add(leaf("Type", "Clip"));
                    video.children.add(props(p("Path", "KString", "XRefUrl", "", name)));
                    video.children.add(leaf("UseMipMap", 0));
                    video.children.add(leaf("Filename", name));
                    video.children.add(leaf("RelativeFilename", name));
                    if (inline) {
                        video.children.add(leaf("Content", t.bytes()));
                    }
                    objects.children.add(video);
                    count("Video");
                    connect("OO", vid, tid, null);
                }
            }
        }

        private static String textureFileName(Texture t, int i) {
            String n = t.name() == null ? "" : FbxMaterials.baseName(t.name()).replaceAll("[^A-Za-z0-9._-]", "_");
            String ext = switch (t.mimeType() == null ? "" : t.mimeType()) {
                case "image/png" -> ".png";
                case "image/jpeg" -> ".jpg";
                case "image/webp" -> ".webp";
                case "image/ktx2" -> ".ktx2";
                default -> "";
            };
            if (n.isEmpty() || n.equals("_")) {
                n = "texture" + i;
            }
            if (!ext.isEmpty() && !n.toLowerCase(java.util.Locale.ROOT).endsWith(ext)
                    && !(ext.equals(".jpg") && n.toLowerCase(java.util.Locale.ROOT).endsWith(".jpeg"))) {
                n = n + ext;
            }
            return n;
        }

        private void materials() {
            for (int i = 0; i < scene.materials().size(); i++) {
                Material m = view.material(i);
                long mid = id();
                materialIds[i] = mid;
                String name = m.name() == null || m.name().isEmpty() ? "material" + i : m.name();
                FbxNode mat = leaf("Material", mid, name + "\u0000\u0001Material", "");
                mat.children.add(leaf("Version", 102));
                mat.children.add(leaf("ShadingModel", "phong"));
                mat.children.add(leaf("MultiLayer", 0));
                float[] c = m.baseColorFactor() == null ? new float[] {1, 1, 1, 1} : m.baseColorFactor();
                float[] e = m.emissiveFactor() == null ? new float[3] : m.emissiveFactor();
                double rough = Math.max(0, Math.min(1, m.roughnessFactor()));
                double exponent = Math.max(0, 2.0 / Math.max(1e-4, rough * rough) - 2.0);
                // Blender reads roughness from Shininess as 1 - sqrt(Shininess) / 10; Maya and 3ds Max read
                // ShininessExponent as the Phong exponent
                double blenderShininess = 100 * (1 - rough) * (1 - rough);
                double metal = Math.max(0, Math.min(1, m.metallicFactor()));
                float normalScale = m.slot("normalTexture").scale();
                boolean[] has = new boolean[Link.values().length];
                for (int[] l : links(i)) {
                    has[l[1]] = true;
                }
                mat.children.add(props(
                        p("ShadingModel", "KString", "", "", "Phong"),
                        p("DiffuseColor", "Color", "", "A", (double) c[0], (double) c[1], (double) c[2]),
                        p("DiffuseFactor", "Number", "", "A", 1.0),
                        p("EmissiveColor", "Color", "", "A", (double) e[0], (double) e[1], (double) e[2]),
                        p("EmissiveFactor", "Number", "", "A", 1.0),
                        p("TransparencyFactor", "Number", "", "A", 1.0 - c[3]),
                        p("Opacity", "double", "Number", "", (double) c[3]),
                        p("SpecularColor", "Color", "", "A", 0.2, 0.2, 0.2),
                        p("Shininess", "double", "Number", "", blenderShininess),
                        p("ShininessExponent", "double", "Number", "", Math.min(1000, exponent)),
                        p("ReflectionFactor", "Number", "", "A", metal),
                        p("Diffuse", "Vector3D", "Vector", "", (double) c[0], (double) c[1], (double) c[2]),
                        p("Emissive", "Vector3D", "Vector", "", (double) e[0], (double) e[1], (double) e[2]),
                        // 3ds Max's PBR Material (Metal/Rough), as 3ds Max writes it
                        p("3dsMax", "Compound", "", ""),
                        p("3dsMax|ClassIDa", "int", "Integer", "", -804315648),
                        p("3dsMax|ClassIDb", "int", "Integer", "", -1099438848),
                        p("3dsMax|SuperClassID", "int", "Integer", "", 3072),
                        p("3dsMax|main", "Compound", "", ""),
                        p("3dsMax|main|basecolor", "ColorAndAlpha", "", "A", (double) c[0], (double) c[1],
                                (double) c[2], (double) c[3]),
                        p("3dsMax|main|base_color_map", "Reference", "", "A"),
                        p("3dsMax|main|metalness", "Float", "", "A", has[Link.METALLIC.ordinal()] ? 1.0 : metal),
                        p("3dsMax|main|metalness_map", "Reference", "", "A"),
                        p("3dsMax|main|roughness", "Float", "", "A", has[Link.ROUGHNESS.ordinal()] ? 1.0 : rough),
                        p("3dsMax|main|roughness_map", "Reference", "", "A"),
                        p("3dsMax|main|useGlossiness", "Integer", "", "A", 2),
                        p("3dsMax|main|ao_map", "Reference", "", "A"),
                        p("3dsMax|main|bump_map_amt", "Float", "", "A", (double) normalScale),
                        p("3dsMax|main|norm_map", "Reference", "", "A"),
                        p("3dsMax|main|emit_color", "ColorAndAlpha", "", "A", (double) e[0], (double) e[1],
                                (double) e[2], 1.0),
                        p("3dsMax|main|emit_color_map", "Reference", "", "A"),
                        // Maya's Stingray PBS attributes
                        p("Maya", "Compound", "", ""),
                        p("Maya|TypeId", "int", "Integer", "", 1166017),
                        p("Maya|use_color_map", "Float", "", "A", flag(has, Link.BASE)),
                        p("Maya|TEX_color_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                        p("Maya|base_color", "Vector3D", "Vector", "", (double) c[0], (double) c[1], (double) c[2]),
                        p("Maya|use_normal_map", "Float", "", "A", flag(has, Link.NORMAL)),
                        p("Maya|TEX_normal_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                        p("Maya|use_metallic_map", "Float", "", "A", flag(has, Link.METALLIC)),
                        p("Maya|TEX_metallic_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                        p("Maya|metallic", "Float", "", "A", metal),
                        p("Maya|use_roughness_map", "Float", "", "A", flag(has, Link.ROUGHNESS)),
                        p("Maya|TEX_roughness_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                        p("Maya|roughness", "Float", "", "A", rough),
                        p("Maya|use_emissive_map", "Float", "", "A", flag(has, Link.EMISSIVE)),
                        p("Maya|TEX_emissive_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                        p("Maya|emissive", "Vector3D", "Vector", "", (double) e[0], (double) e[1], (double) e[2]),
                        p("Maya|emissive_intensity", "Float", "", "A", 1.0),
                        p("Maya|use_ao_map", "Float", "", "A", flag(has, Link.OCCLUSION)),
                        p("Maya|TEX_ao_map", "Vector3D", "Vector", "", 0.0, 0.0, 0.0)));
                objects.children.add(mat);
                count("Material");
                for (int[] l : links(i)) {
                    for (String property : Link.values()[l[1]].properties) {
                        connect("OP", textureIds[l[0]], mid, property);
                    }
                }
            }
        }

        private static double flag(boolean[] has, Link link) {
            return has[link.ordinal()] ? 1.0 : 0.0;
        }

        /**
         * The properties a texture is connected to, per use: the classic ones Blender's, Maya's and 3ds Max's
         * importers read, then 3ds Max's PBR Material and Maya's Stingray PBS. Occlusion has no classic property.
         */
        private enum Link {
            BASE("DiffuseColor", "3dsMax|main|base_color_map", "Maya|TEX_color_map"),
            NORMAL("NormalMap", "3dsMax|main|norm_map", "Maya|TEX_normal_map"),
            EMISSIVE("EmissiveColor", "3dsMax|main|emit_color_map", "Maya|TEX_emissive_map"),
            ROUGHNESS("ShininessExponent", "3dsMax|main|roughness_map", "Maya|TEX_roughness_map"),
            METALLIC("ReflectionFactor", "3dsMax|main|metalness_map", "Maya|TEX_metallic_map"),
            OCCLUSION("3dsMax|main|ao_map", "Maya|TEX_ao_map"),
            SPECULAR("SpecularColor");

            final String[] properties;

            Link(String... properties) {
                this.properties = properties;
            }
        }

        /**
         * Material {@code i}'s textures as {texture, link ordinal}: metallic and roughness as the grey images
         * baked from its packed texture, or the packed texture as roughness where it could not be split.
         */
        private List<int[]> links(int i) {
            Material m = view.material(i);
            List<int[]> out = new ArrayList<>();
            int rough = view.roughnessTexture(i) >= 0 ? view.roughnessTexture(i) : m.metallicRoughnessTexture();
            int[][] all = {{m.baseColorTexture(), Link.BASE.ordinal()}, {m.normalTexture(), Link.NORMAL.ordinal()},
                    {m.emissiveTexture(), Link.EMISSIVE.ordinal()}, {rough, Link.ROUGHNESS.ordinal()},
                    {view.metallicTexture(i), Link.METALLIC.ordinal()},
                    {m.occlusionTexture(), Link.OCCLUSION.ordinal()},
                    {view.specularTexture(i), Link.SPECULAR.ordinal()}};
            for (int[] l : all) {
                if (l[0] >= 0 && l[0] < textureIds.length) {
                    out.add(l);
                }
            }
            return out;
        }

        private void model(Node node, long parent) {
            long mid = id();
            modelIds.put(node, mid);
            Mesh mesh = node.mesh();
            boolean hasTriangles = mesh != null && mesh.triangleCount() > 0;
            boolean limb = isJoint(node);
            // Importers build an armature from the bones under a non-bone node; a mesh node above its own
            // skeleton would become the parent of the armature that deforms it, a cycle in which Blender imports
            // nothing. Such a node is written as a Null (its transform and animation) holding the mesh as a child.
            boolean meshAboveBones = hasTriangles && !limb && hasJointBelow(node);
            String sub = meshAboveBones ? "Null" : hasTriangles ? "Mesh" : limb ? "LimbNode" : "Null";
            String name = meshAboveBones ? node.name() + " skeleton" : node.name();
            model(mid, name, sub, node.local(), parent);
            if (meshAboveBones) {
                long meshModel = id();
                model(meshModel, node.name(), "Mesh", Transform.IDENTITY, mid);
                mid = meshModel;
            }
            if (hasTriangles) {
                Long gid = geometryIds.get(mesh);
                if (gid == null) {
                    gid = geometry(mesh);
                }
                connect("OO", gid, mid, null);
                for (int slot : meshSlots.get(mesh)) {
                    if (slot >= 0 && slot < materialIds.length) {
                        connect("OO", materialIds[slot], mid, null);
                    }
                }
            }
            for (Node child : node.children()) {
                model(child, modelIds.get(node));
            }
        }

        /** One Model object of the given subclass, placed by {@code local} under {@code parent}. */
        private void model(long mid, String name, String sub, Transform local, long parent) {
            FbxNode m = leaf("Model", mid, name + "\u0000\u0001Model", sub);
            m.children.add(leaf("Version", 232));
            double[] trs = decompose(local);
            m.children.add(props(
                    p("RotationOrder", "enum", "", "", 0),
                    p("InheritType", "enum", "", "", 1),
                    p("Lcl Translation", "Lcl Translation", "", "A", trs[0], trs[1], trs[2]),
                    p("Lcl Rotation", "Lcl Rotation", "", "A", trs[3], trs[4], trs[5]),
                    p("Lcl Scaling", "Lcl Scaling", "", "A", trs[6], trs[7], trs[8]),
                    p("DefaultAttributeIndex", "int", "Integer", "", 0)));
            m.children.add(leaf("Shading", true));
            m.children.add(leaf("Culling", "CullingOff"));
            objects.children.add(m);
            count("Model");
            connect("OO", mid, parent, null);
        }

        private boolean hasJointBelow(Node node) {
            for (Node child : node.children()) {
                if (isJoint(child) || hasJointBelow(child)) {
                    return true;
                }
            }
            return false;
        }

        private boolean isJoint(Node node) {
            for (Skin s : scene.skins()) {
                if (s.joints().contains(node)) {
                    return true;
                }
            }
            return false;
        }

        /** One Geometry for all triangle primitives of the mesh; returns its id. */
        private long geometry(Mesh mesh) {
            long gid = id();
            geometryIds.put(mesh, gid);
            List<Primitive> prims = new ArrayList<>();
            for (Primitive p : mesh.primitives()) {
                if (p.topology() == Topology.TRIANGLES && p.triangleCount() > 0) {
                    prims.add(p);
                }
            }
            // Material slots: the distinct scene materials of the primitives, in order.
            List<Integer> slots = new ArrayList<>();
            for (Primitive p : prims) {
                int m = p.material() >= 0 && p.material() < materialIds.length ? p.material() : -1;
                if (m >= 0 && !slots.contains(m)) {
                    slots.add(m);
                }
            }
            meshSlots.put(mesh, slots.stream().mapToInt(Integer::intValue).toArray());
            long vertices = 0;
            long corners = 0;
            int uvSets = Integer.MAX_VALUE;
            boolean normals = true;
            boolean colors = true;
            for (Primitive p : prims) {
                vertices += p.vertexCount();
                corners += p.indexCount();
                int sets = 0;
                while (p.attribute("TEXCOORD_" + sets) != null) {
                    sets++;
                }
                uvSets = Math.min(uvSets, sets);
                normals &= p.attribute(VertexAttribute.NORMAL) != null;
                colors &= p.attribute("COLOR_0") != null;
            }
            if (prims.isEmpty()) {
                uvSets = 0;
                normals = false;
                colors = false;
            }
            // Control points are the distinct positions the faces use (with their skinning, which FBX keeps per
            // control point): a mesh split per attribute for glTF arrives connected, and no point goes unused.
            // Normals, UVs and colours stay per corner, UVs and colours indexed into their distinct values.
            int[] cpOf = new int[(int) vertices];
            java.util.Arrays.fill(cpOf, -1);
            Map<ControlPoint, Integer> cps = new HashMap<>();
            DoubleArray v = new DoubleArray();
            int[] pvi = new int[(int) corners];
            double[] n = normals ? new double[(int) corners * 3] : null;
            List<Map<Long, Integer>> uvIds = new ArrayList<>();
            List<DoubleArray> uv = new ArrayList<>();
            List<int[]> uvIndex = new ArrayList<>();
            for (int s = 0; s < uvSets; s++) {
                uvIds.add(new HashMap<>());
                uv.add(new DoubleArray());
                uvIndex.add(new int[(int) corners]);
            }
            Map<List<Float>, Integer> colIds = new HashMap<>();
            DoubleArray col = colors ? new DoubleArray() : null;
            int[] colIndex = colors ? new int[(int) corners] : null;
            int[] polyMat = new int[(int) (corners / 3)];
            int base = 0;
            int at = 0;
            for (Primitive p : prims) {
                VertexAttribute pos = p.positions();
                VertexAttribute joints = p.attribute("JOINTS_0");
                VertexAttribute weights = p.attribute("WEIGHTS_0");
                int slot = slots.indexOf(p.material());
                VertexAttribute nrm = p.attribute(VertexAttribute.NORMAL);
                for (long i = 0; i < p.indexCount(); i++) {
                    int idx = p.index(i);
                    int g = base + idx;
                    if (cpOf[g] < 0) {
                        ControlPoint key = new ControlPoint(pos.get(idx, 0) + 0f, pos.get(idx, 1) + 0f,
                                pos.get(idx, 2) + 0f, skinning(joints, weights, idx));
                        Integer cp = cps.get(key);
                        if (cp == null) {
                            cp = cps.size();
                            cps.put(key, cp);
                            v.add(key.x());
                            v.add(key.y());
                            v.add(key.z());
                        }
                        cpOf[g] = cp;
                    }
                    pvi[at] = i % 3 == 2 ? ~cpOf[g] : cpOf[g];
                    if (n != null) {
                        for (int k = 0; k < 3; k++) {
                            n[at * 3 + k] = nrm.get(idx, k);
                        }
                    }
                    for (int s = 0; s < uvSets; s++) {
                        VertexAttribute a = p.attribute("TEXCOORD_" + s);
                        float uu = a.get(idx, 0) + 0f;
                        float vv = 1f - a.get(idx, 1) + 0f;
                        long bits = ((long) Float.floatToIntBits(uu) << 32) | (Float.floatToIntBits(vv) & 0xFFFF_FFFFL);
                        Integer id = uvIds.get(s).get(bits);
                        if (id == null) {
                            id = uvIds.get(s).size();
                            uvIds.get(s).put(bits, id);
                            uv.get(s).add(uu);
                            uv.get(s).add(vv);
                        }
                        uvIndex.get(s)[at] = id;
                    }
                    if (col != null) {
                        VertexAttribute a = p.attribute("COLOR_0");
                        List<Float> rgba = new ArrayList<>(4);
                        for (int k = 0; k < 4; k++) {
                            rgba.add(k < a.components() ? a.get(idx, k) + 0f : 1f);
                        }
                        Integer id = colIds.get(rgba);
                        if (id == null) {
                            id = colIds.size();
                            colIds.put(rgba, id);
                            rgba.forEach(col::add);
                        }
                        colIndex[at] = id;
                    }
                    if (i % 3 == 0) {
                        polyMat[at / 3] = Math.max(0, slot);
                    }
                    at++;
                }
                base += (int) p.vertexCount();
            }
            meshControlPoints.put(mesh, cpOf);
            FbxNode g = leaf("Geometry", gid, mesh.name() + "\u0000\u0001Geometry", "Mesh");
            g.children.add(props());
            g.children.add(leaf("GeometryVersion", 124));
            g.children.add(leaf("Vertices", v.toArray()));
            g.children.add(leaf("PolygonVertexIndex", pvi));
            if (n != null) {
                FbxNode e = layerElement("LayerElementNormal", 0, "ByPolygonVertex", "Direct");
                e.children.add(leaf("Normals", n));
                g.children.add(e);
            }
            if (col != null) {
                FbxNode e = layerElement("LayerElementColor", 0, "ByPolygonVertex", "IndexToDirect");
                e.children.add(leaf("Colors", col.toArray()));
                e.children.add(leaf("ColorIndex", colIndex));
                g.children.add(e);
            }
            for (int s = 0; s < uvSets; s++) {
                FbxNode e = layerElement("LayerElementUV", s, "ByPolygonVertex", "IndexToDirect");
                e.children.add(1, leaf("Name", s == 0 ? "map1" : "map" + (s + 1)));
                e.children.add(leaf("UV", uv.get(s).toArray()));
                e.children.add(leaf("UVIndex", uvIndex.get(s)));
                g.children.add(e);
            }
            FbxNode me = layerElement("LayerElementMaterial", 0, slots.size() <= 1 ? "AllSame" : "ByPolygon",
                    "IndexToDirect");
            me.children.add(leaf("Materials", slots.size() <= 1 ? new int[] {0} : polyMat));
            g.children.add(me);
            int layers = Math.max(1, uvSets);
            for (int l = 0; l < layers; l++) {
                FbxNode layer = leaf("Layer", l);
                layer.children.add(leaf("Version", 100));
                if (l == 0) {
                    if (n != null) {
                        layer.children.add(layerRef("LayerElementNormal", 0));
                    }
                    if (col != null) {
                        layer.children.add(layerRef("LayerElementColor", 0));
                    }
                    layer.children.add(layerRef("LayerElementMaterial", 0));
                }
                if (l < uvSets) {
                    layer.children.add(layerRef("LayerElementUV", l));
                }
                g.children.add(layer);
            }
            objects.children.add(g);
            count("Geometry");
            return gid;
        }

        private static FbxNode layerElement(String name, int index, String mapping, String reference) {
            FbxNode e = leaf(name, index);
            e.children.add(leaf("Version", 101));
            e.children.add(leaf("Name", ""));
            e.children.add(leaf("MappingInformationType", mapping));
            e.children.add(leaf("ReferenceInformationType", reference));
            return e;
        }

        private static FbxNode layerRef(String type, int index) {
            FbxNode r = new FbxNode("LayerElement");
            r.children.add(leaf("Type", type));
            r.children.add(leaf("TypedIndex", index));
            return r;
        }

        private void skins() {
            FbxSkinWriter.write(scene, objects, modelIds, geometryIds, meshControlPoints, this::id, this::connect,
                    this::count);
        }

        /** Translation, XYZ Euler rotation (degrees, FBX order: X applied first) and scale of a matrix. */
        static double[] decompose(Transform t) {
            double[] m = t.toArray();
            double sx = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
            double sy = Math.sqrt(m[4] * m[4] + m[5] * m[5] + m[6] * m[6]);
            double sz = Math.sqrt(m[8] * m[8] + m[9] * m[9] + m[10] * m[10]);
            if (t.determinant3() < 0) {
                sx = -sx;
            }
            double[] r = new double[9];
            for (int i = 0; i < 3; i++) {
                r[i] = sx == 0 ? 0 : m[i] / sx;
                r[3 + i] = sy == 0 ? 0 : m[4 + i] / sy;
                r[6 + i] = sz == 0 ? 0 : m[8 + i] / sz;
            }
            // r is column-major: R(row, col) = r[col * 3 + row]; R = Rz * Ry * Rx.
            double r20 = r[2];
            double x;
            double y;
            double z;
            if (Math.abs(r20) < 0.9999999) {
                y = Math.asin(-r20);
                x = Math.atan2(r[5], r[8]);
                z = Math.atan2(r[1], r[0]);
            } else {
                y = r20 < 0 ? Math.PI / 2 : -Math.PI / 2;
                x = Math.atan2(-r[7], r[4]);
                z = 0;
            }
            return new double[] {m[12], m[13], m[14], Math.toDegrees(x), Math.toDegrees(y), Math.toDegrees(z),
                    sx, sy, sz};
        }

        static FbxNode leaf(String name, Object... values) {
            return FbxWriterNodes.leaf(name, values);
        }

        /** A control point: a position with the skinning it carries ("" where the mesh has none). */
        private record ControlPoint(float x, float y, float z, String skinning) {
        }

        private static String skinning(VertexAttribute joints, VertexAttribute weights, int v) {
            if (joints == null || weights == null) {
                return "";
            }
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < Math.min(joints.components(), weights.components()); k++) {
                sb.append(joints.get(v, k)).append(':').append(weights.get(v, k)).append(' ');
            }
            return sb.toString();
        }

        /** A growing array of doubles. */
        private static final class DoubleArray {
            private double[] values = new double[64];
            private int size;

            void add(double d) {
                if (size == values.length) {
                    values = java.util.Arrays.copyOf(values, size * 2);
                }
                values[size++] = d;
            }

            double[] toArray() {
                return java.util.Arrays.copyOf(values, size);
            }
        }

        static FbxNode p(String name, String type, String label, String flags, Object... values) {
            return FbxWriterNodes.p(name, type, label, flags, values);
        }

        static FbxNode props(FbxNode... ps) {
            return FbxWriterNodes.props(ps);
        }
    }

    /** Exposed to the skin writer: a float view of a segment. */
    static float f(java.lang.foreign.MemorySegment s, long i) {
        return s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
    }
}
