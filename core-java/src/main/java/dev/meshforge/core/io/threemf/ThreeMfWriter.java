// Writes a scene as a 3MF package (core specification 1.x): millimetres, Z up, one object a mesh placement.
package dev.meshforge.core.io.threemf;

import dev.meshforge.core.io.SceneWriter;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.UpAxis;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * 3MF output for printing. Every mesh placement becomes one object of world-space vertices in millimetres (the
 * scene's unit converted; a Y-up scene turned to 3MF's Z up), its equal positions shared so that a closed mesh
 * stays closed, referenced by one build item. Materials become one {@code basematerials} group (name and base
 * colour as sRGB {@code displaycolor}), assigned per triangle. What 3MF's core cannot hold (textures, vertex
 * colours, lines, points) is named in a warning on the scene.
 */
public final class ThreeMfWriter implements SceneWriter {
    static final String CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02";
    static final String MODEL_PATH = "3D/3dmodel.model";

    @Override
    public void write(Scene scene, Path file, WriteOptions options) throws IOException {
        StringBuilder model = new StringBuilder(1 << 16);
        List<String> lost = new ArrayList<>();
        model.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<model unit=\"millimeter\" xml:lang=\"en-US\" "
                + "xmlns=\"").append(CORE).append("\">\n <metadata name=\"Application\">meshforge</metadata>\n"
                + " <resources>\n");
        List<Material> materials = scene.materials();
        int materialsId = 1;
        if (!materials.isEmpty()) {
            model.append("  <basematerials id=\"").append(materialsId).append("\">\n");
            for (int i = 0; i < materials.size(); i++) {
                Material m = materials.get(i);
                model.append("   <base name=\"").append(escape(m.name() == null || m.name().isBlank()
                        ? "material" + i : m.name())).append("\" displaycolor=\"").append(srgbHex(m.baseColorFactor()))
                        .append("\"/>\n");
                if (m.baseColorTexture() >= 0 || m.normalTexture() >= 0 || m.metallicRoughnessTexture() >= 0) {
                    lost.add("material '" + m.name() + "': its textures (3MF's core carries colours only)");
                }
            }
            model.append("  </basematerials>\n");
        }
        double mm = scene.units().metresPerUnit() * 1000;
        boolean yUp = scene.units().upAxis() == UpAxis.Y;
        List<Integer> objects = new ArrayList<>();
        int[] nextId = {materialsId + 1};
        scene.forEachPlacedMesh((mesh, t) -> {
            int id = nextId[0]++;
            if (object(model, mesh, t, mm, yUp, id, materials.isEmpty() ? -1 : materialsId, lost)) {
                objects.add(id);
            }
        });
        model.append(" </resources>\n <build>\n");
        for (int id : objects) {
            model.append("  <item objectid=\"").append(id).append("\"/>\n");
        }
        model.append(" </build>\n</model>\n");
        try (OutputStream raw = Files.newOutputStream(file);
             ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"model\" ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\"/>"
                    + "</Types>\n");
            entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Target=\"/" + MODEL_PATH + "\" Id=\"rel0\" "
                    + "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>\n");
            entry(zip, MODEL_PATH, model.toString());
        }
        lost.stream().distinct().forEach(w -> scene.warn(file + ": 3MF cannot hold " + w + "; left out"));
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** One object of the placement's triangles; false where it has none. */
    private static boolean object(StringBuilder sb, Mesh mesh, Transform t, double mm, boolean yUp, int id,
                                  int materialsId, List<String> lost) {
        Map<List<Double>, Integer> shared = new HashMap<>();
        StringBuilder vertices = new StringBuilder();
        StringBuilder triangles = new StringBuilder();
        double[] w = new double[3];
        boolean mirror = t.determinant3() < 0;
        for (Primitive p : mesh.primitives()) {
            if (p.topology() != Topology.TRIANGLES) {
                lost.add("the " + p.topology().name().toLowerCase(Locale.ROOT) + " of mesh '" + mesh.name() + "'");
                continue;
            }
            if (p.attribute("COLOR_0") != null) {
                lost.add("the vertex colours of mesh '" + mesh.name() + "'");
            }
            int[] index = new int[(int) p.vertexCount()];
            java.util.Arrays.fill(index, -1);
            for (long i = 0; i < p.indexCount(); i++) {
                int v = p.index(i);
                if (index[v] >= 0) {
                    continue;
                }
                p.position(v, w);
                t.applyToPoint(w[0], w[1], w[2], w);
                // Y up to Z up is a rotation about x: (x, y, z) -> (x, -z, y), handedness kept
                double x = w[0] * mm + 0.0;
                double y = (yUp ? -w[2] : w[1]) * mm + 0.0;
                double z = (yUp ? w[1] : w[2]) * mm + 0.0;
                List<Double> key = List.of(x, y, z);
                Integer at = shared.get(key);
                if (at == null) {
                    at = shared.size();
                    shared.put(key, at);
                    vertices.append("     <vertex x=\"").append(number(x)).append("\" y=\"").append(number(y))
                            .append("\" z=\"").append(number(z)).append("\"/>\n");
                }
                index[v] = at;
            }
            String material = materialsId < 0 || p.material() < 0 ? ""
                    : " pid=\"" + materialsId + "\" p1=\"" + p.material() + "\"";
            for (long tri = 0; tri < p.triangleCount(); tri++) {
                int a = index[p.index(3 * tri)];
                int b = index[p.index(3 * tri + (mirror ? 2 : 1))];
                int c = index[p.index(3 * tri + (mirror ? 1 : 2))];
                if (a == b || b == c || a == c) {
                    continue; // 3MF forbids a triangle with a repeated vertex; it has no area anyway
                }
                triangles.append("     <triangle v1=\"").append(a).append("\" v2=\"").append(b).append("\" v3=\"")
                        .append(c).append('"').append(material).append("/>\n");
            }
        }
        if (triangles.isEmpty()) {
            return false;
        }
        sb.append("  <object id=\"").append(id).append("\" type=\"model\" name=\"").append(escape(mesh.name()))
                .append("\">\n   <mesh>\n    <vertices>\n").append(vertices).append("    </vertices>\n    <triangles>\n")
                .append(triangles).append("    </triangles>\n   </mesh>\n  </object>\n");
        return true;
    }

    /** The shortest decimal that reads back to the same double. */
    private static String number(double d) {
        if (d == (long) d && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** #RRGGBBAA in sRGB from a linear RGBA factor. */
    static String srgbHex(float[] linear) {
        StringBuilder sb = new StringBuilder("#");
        for (int k = 0; k < 4; k++) {
            double c = Math.max(0, Math.min(1, linear[k]));
            if (k < 3) {
                c = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
            }
            sb.append(String.format(Locale.ROOT, "%02X", (int) Math.round(c * 255)));
        }
        return sb.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
