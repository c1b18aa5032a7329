// Reads a 3MF package (core specification 1.x): objects, components, build items, base materials and colours.
package dev.meshforge.core.io.threemf;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.scene.AlphaMode;
import dev.meshforge.core.scene.Material;
import dev.meshforge.core.scene.Mesh;
import dev.meshforge.core.scene.Node;
import dev.meshforge.core.scene.Primitive;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Topology;
import dev.meshforge.core.scene.Transform;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;
import dev.meshforge.core.scene.VertexAttribute;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * 3MF input. The model part is the one {@code _rels/.rels} names (else {@code 3D/3dmodel.model}); its unit is
 * declared (micron to metre), Z is up. Each object with a mesh becomes a mesh of one primitive a material
 * (base materials and colour groups become materials, a triangle's first property choosing it); objects made of
 * components become nodes over their parts; each build item is a root node with its transform. The model part
 * is inflated under {@link ReadOptions#maxArchiveBytes()}, vertex and triangle counts under
 * {@link ReadOptions#maxTriangles()}; external entities and DTDs are never read.
 */
public final class ThreeMfReader implements SceneReader {
    private static final int MAX_COMPONENT_DEPTH = 64;

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        byte[] xml;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > options.maxArchiveEntries()) {
                throw new LimitExceededException(file + ": lists " + zip.size() + " entries, more than "
                        + options.maxArchiveEntries() + " (ReadOptions.maxArchiveEntries)");
            }
            String part = modelPart(file, zip, options);
            ZipEntry entry = zip.getEntry(part);
            if (entry == null) {
                throw new BadInputException(file, "has no 3D model part " + part);
            }
            xml = inflate(file, zip, entry, options);
        } catch (java.util.zip.ZipException e) {
            throw new BadInputException(file, "is not a readable 3MF package (ZIP): " + e.getMessage(), e);
        }
        byte[] model = xml;
        return SceneFill.fillOrClose(new Scene(), scene -> new Parse(file, scene, options).run(model));
    }

    /** The target of the 3D model relationship, without its leading slash. */
    private static String modelPart(Path file, ZipFile zip, ReadOptions options) throws IOException {
        ZipEntry rels = zip.getEntry("_rels/.rels");
        if (rels == null) {
            return ThreeMfWriter.MODEL_PATH;
        }
        XMLStreamReader r = xmlReader(file, inflate(file, zip, rels, options));
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Relationship")
                        && String.valueOf(r.getAttributeValue(null, "Type")).endsWith("/3dmodel")) {
                    String target = r.getAttributeValue(null, "Target");
                    if (target != null && !target.contains("..")) {
                        return target.startsWith("/") ? target.substring(1) : target;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new BadInputException(file, "_rels/.rels is not well-formed XML: " + e.getMessage(), e);
        }
        return ThreeMfWriter.MODEL_PATH;
    }

    private static byte[] inflate(Path file, ZipFile zip, ZipEntry entry, ReadOptions options) throws IOException {
        long cap = options.maxArchiveBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > cap || out.size() > Integer.MAX_VALUE - (1 << 20)) {
                    throw new LimitExceededException(file + ": " + entry.getName() + " expands past "
                            + cap + " bytes (ReadOptions.maxArchiveBytes)");
                }
                long compressed = Math.max(1, entry.getCompressedSize());
                if (out.size() > (1 << 20) && out.size() / compressed > options.maxCompressionRatio()) {
                    throw new LimitExceededException(file + ": " + entry.getName() + " expands more than "
                            + options.maxCompressionRatio() + " times (ReadOptions.maxCompressionRatio)");
                }
            }
        }
        return out.toByteArray();
    }

    static XMLStreamReader xmlReader(Path file, byte[] xml) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            return f.createXMLStreamReader(new ByteArrayInputStream(xml));
        } catch (XMLStreamException e) {
            throw new BadInputException(file, "is not XML: " + e.getMessage(), e);
        }
    }

    /** One object of the resources: its mesh (vertices, triangles with their property) or its components. */
    private static final class ObjectDef {
        final String id;
        final String name;
        final String pid;
        final String pindex;
        double[] vertices = new double[48];
        int vertexCount;
        int[] triangles = new int[48];
        String[] trianglePids = null;
        int[] triangleProps = null;
        int triangleCount;
        final List<String[]> components = new ArrayList<>();
        Mesh mesh;

        ObjectDef(String id, String name, String pid, String pindex) {
            this.id = id;
            this.name = name;
            this.pid = pid;
            this.pindex = pindex;
        }
    }

    private static final class Parse {
        private final Path file;
        private final Scene scene;
        private final ReadOptions options;
        private final Map<String, ObjectDef> objects = new LinkedHashMap<>();
        /** Per property group id, the scene material of each of its entries. */
        private final Map<String, List<Integer>> groups = new HashMap<>();
        private final List<String[]> items = new ArrayList<>();
        private long totalTriangles;

        Parse(Path file, Scene scene, ReadOptions options) {
            this.file = file;
            this.scene = scene;
            this.options = options;
        }

        void run(byte[] xml) {
            XMLStreamReader r = xmlReader(file, xml);
            double metres = 0.001;
            ObjectDef object = null;
            List<Integer> group = null;
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("object")) {
                        object = null;
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    switch (r.getLocalName()) {
                        case "model" -> metres = unit(r.getAttributeValue(null, "unit"));
                        case "basematerials", "colorgroup" -> {
                            group = new ArrayList<>();
                            groups.put(required(r, "id"), group);
                        }
                        case "base" -> group.add(material(r.getAttributeValue(null, "name"),
                                r.getAttributeValue(null, "displaycolor"), r));
                        case "color" -> {
                            if (group != null) {
                                group.add(material(null, r.getAttributeValue(null, "color"), r));
                            }
                        }
                        case "object" -> {
                            object = new ObjectDef(required(r, "id"), r.getAttributeValue(null, "name"),
                                    r.getAttributeValue(null, "pid"), r.getAttributeValue(null, "pindex"));
                            if (objects.put(object.id, object) != null) {
                                throw bad(r, "object id " + object.id + " is used twice");
                            }
                        }
                        case "vertex" -> vertex(object, r);
                        case "triangle" -> triangle(object, r);
                        case "component" -> {
                            if (object == null) {
                                throw bad(r, "a component outside an object");
                            }
                            object.components.add(new String[] {required(r, "objectid"),
                                    r.getAttributeValue(null, "transform")});
                        }
                        case "item" -> items.add(new String[] {required(r, "objectid"),
                                r.getAttributeValue(null, "transform"), String.valueOf(r.getLocation().getLineNumber())});
                        default -> { }
                    }
                }
            } catch (XMLStreamException e) {
                throw new BadInputException(file, "its model part is not well-formed XML: " + e.getMessage(), e);
            }
            scene.units(new Units(metres, UpAxis.Z, true));
            for (String[] item : items) {
                ObjectDef def = objects.get(item[0]);
                if (def == null) {
                    throw new BadInputException(file, "build item at line " + item[2] + " names object " + item[0]
                            + ", which the resources do not hold");
                }
                scene.addRoot(node(def, transform(item[1], "build item at line " + item[2]), 0));
            }
        }

        private Node node(ObjectDef def, Transform local, int depth) {
            if (depth > MAX_COMPONENT_DEPTH) {
                throw new BadInputException(file, "object " + def.id + " nests components more than "
                        + MAX_COMPONENT_DEPTH + " deep (a cycle?)");
            }
            Node n = new Node(def.name == null ? "object " + def.id : def.name).local(local);
            if (def.vertexCount > 0 && def.triangleCount > 0) {
                if (def.mesh == null) {
                    def.mesh = mesh(def);
                }
                n.mesh(def.mesh);
            }
            for (String[] c : def.components) {
                ObjectDef part = objects.get(c[0]);
                if (part == null) {
                    throw new BadInputException(file, "object " + def.id + " has a component of object " + c[0]
                            + ", which the resources do not hold");
                }
                n.add(node(part, transform(c[1], "a component of object " + def.id), depth + 1));
            }
            return n;
        }

        private Mesh mesh(ObjectDef def) {
            Mesh mesh = new Mesh(def.name == null ? "object " + def.id : def.name);
            MemorySegment pos = scene.allocateFloats(3L * def.vertexCount);
            for (int i = 0; i < 3 * def.vertexCount; i++) {
                pos.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) def.vertices[i]);
            }
            MemorySegment pos64 = scene.arena().allocate(ValueLayout.JAVA_DOUBLE, 3L * def.vertexCount);
            MemorySegment.copy(def.vertices, 0, pos64, ValueLayout.JAVA_DOUBLE, 0, 3 * def.vertexCount);
            VertexAttribute positions = new VertexAttribute(VertexAttribute.POSITION, 3, def.vertexCount, pos);
            Map<Integer, List<Integer>> byMaterial = new LinkedHashMap<>();
            int fallback = property(def.pid, def.pindex, "object " + def.id);
            for (int t = 0; t < def.triangleCount; t++) {
                int m = def.trianglePids != null && def.trianglePids[t] != null
                        ? property(def.trianglePids[t], String.valueOf(def.triangleProps[t]), "object " + def.id)
                        : fallback;
                byMaterial.computeIfAbsent(m, k -> new ArrayList<>()).add(t);
            }
            for (Map.Entry<Integer, List<Integer>> e : byMaterial.entrySet()) {
                List<Integer> tris = e.getValue();
                MemorySegment idx = scene.allocateInts(3L * tris.size());
                for (int i = 0; i < tris.size(); i++) {
                    for (int k = 0; k < 3; k++) {
                        idx.setAtIndex(ValueLayout.JAVA_INT, 3L * i + k, def.triangles[3 * tris.get(i) + k]);
                    }
                }
                Primitive p = new Primitive(Topology.TRIANGLES, positions, idx, 3L * tris.size()).positions64(pos64);
                mesh.add(p.material(e.getKey()));
            }
            return mesh;
        }

        /** The scene material of entry {@code index} of group {@code pid}, or -1 where there is none. */
        private int property(String pid, String index, String where) {
            if (pid == null) {
                return -1;
            }
            List<Integer> g = groups.get(pid);
            if (g == null) {
                return -1; // a property group of an extension this reader does not know: no material
            }
            int i;
            try {
                i = index == null ? 0 : Integer.parseInt(index);
            } catch (NumberFormatException e) {
                throw new BadInputException(file, where + ": property index '" + index + "' is not a number");
            }
            if (i < 0 || i >= g.size()) {
                throw new BadInputException(file, where + ": property index " + i + " is outside group " + pid
                        + " of " + g.size());
            }
            return g.get(i);
        }

        private int material(String name, String color, XMLStreamReader r) {
            float[] rgba = color(color, r);
            int index = scene.materials().size();
            scene.materials().add(new Material(name == null ? "color " + index : name, rgba, 0f, 0.5f, -1, -1, -1,
                    -1, -1, new float[3], false, rgba[3] < 1 ? AlphaMode.BLEND : AlphaMode.OPAQUE, 0.5f, Map.of(),
                    Map.of()));
            return index;
        }

        /** #RRGGBB or #RRGGBBAA in sRGB, as linear RGBA. */
        private float[] color(String text, XMLStreamReader r) {
            if (text == null || !text.matches("#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?")) {
                throw bad(r, "colour '" + text + "' is not #RRGGBB or #RRGGBBAA");
            }
            float[] rgba = {1, 1, 1, 1};
            for (int k = 0; k < (text.length() - 1) / 2; k++) {
                double c = Integer.parseInt(text.substring(1 + 2 * k, 3 + 2 * k), 16) / 255.0;
                rgba[k] = (float) (k < 3 ? (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)) : c);
            }
            return rgba;
        }

        private void vertex(ObjectDef o, XMLStreamReader r) {
            if (o == null) {
                throw bad(r, "a vertex outside an object");
            }
            if (o.vertexCount >= options.maxTriangles()) {
                throw new LimitExceededException(file + ": object " + o.id + " has more than "
                        + options.maxTriangles() + " vertices (ReadOptions.maxTriangles)");
            }
            if (3 * (o.vertexCount + 1) > o.vertices.length) {
                o.vertices = java.util.Arrays.copyOf(o.vertices, o.vertices.length * 2);
            }
            for (int k = 0; k < 3; k++) {
                double c = number(r, "xyz".substring(k, k + 1));
                o.vertices[3 * o.vertexCount + k] = c;
            }
            o.vertexCount++;
        }

        private void triangle(ObjectDef o, XMLStreamReader r) {
            if (o == null) {
                throw bad(r, "a triangle outside an object");
            }
            if (++totalTriangles > options.maxTriangles()) {
                throw new LimitExceededException(file + ": holds more than " + options.maxTriangles()
                        + " triangles (ReadOptions.maxTriangles)");
            }
            if (3 * (o.triangleCount + 1) > o.triangles.length) {
                o.triangles = java.util.Arrays.copyOf(o.triangles, o.triangles.length * 2);
            }
            for (int k = 0; k < 3; k++) {
                String text = required(r, "v" + (k + 1));
                int v;
                try {
                    v = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw bad(r, "triangle index '" + text + "' is not a whole number");
                }
                if (v < 0 || v >= o.vertexCount) {
                    throw bad(r, "triangle index " + v + " is outside object " + o.id + "'s " + o.vertexCount
                            + " vertices");
                }
                o.triangles[3 * o.triangleCount + k] = v;
            }
            String pid = r.getAttributeValue(null, "pid");
            String p1 = r.getAttributeValue(null, "p1");
            if (pid != null || p1 != null) {
                if (o.trianglePids == null) {
                    o.trianglePids = new String[o.triangles.length / 3];
                    o.triangleProps = new int[o.triangles.length / 3];
                } else if (o.trianglePids.length < o.triangles.length / 3) {
                    o.trianglePids = java.util.Arrays.copyOf(o.trianglePids, o.triangles.length / 3);
                    o.triangleProps = java.util.Arrays.copyOf(o.triangleProps, o.triangles.length / 3);
                }
                o.trianglePids[o.triangleCount] = pid != null ? pid : o.pid;
                try {
                    o.triangleProps[o.triangleCount] = p1 != null ? Integer.parseInt(p1)
                            : o.pindex != null ? Integer.parseInt(o.pindex) : 0;
                } catch (NumberFormatException e) {
                    throw bad(r, "property index '" + p1 + "' is not a whole number");
                }
            } else if (o.trianglePids != null) {
                if (o.trianglePids.length < o.triangles.length / 3) {
                    o.trianglePids = java.util.Arrays.copyOf(o.trianglePids, o.triangles.length / 3);
                    o.triangleProps = java.util.Arrays.copyOf(o.triangleProps, o.triangles.length / 3);
                }
            }
            o.triangleCount++;
        }

        private double number(XMLStreamReader r, String attribute) {
            String text = required(r, attribute);
            try {
                double d = Double.parseDouble(text);
                if (!Double.isFinite(d)) {
                    throw bad(r, attribute + " '" + text + "' is not a finite number");
                }
                return d;
            } catch (NumberFormatException e) {
                throw bad(r, attribute + " '" + text + "' is not a number");
            }
        }

        private Transform transform(String text, String where) {
            if (text == null || text.isBlank()) {
                return Transform.IDENTITY;
            }
            String[] parts = text.trim().split("\\s+");
            if (parts.length != 12) {
                throw new BadInputException(file, where + ": transform has " + parts.length + " numbers, not 12");
            }
            double[] v = new double[12];
            for (int i = 0; i < 12; i++) {
                try {
                    v[i] = Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw new BadInputException(file, where + ": transform value '" + parts[i] + "' is not a number");
                }
                if (!Double.isFinite(v[i])) {
                    throw new BadInputException(file, where + ": transform value '" + parts[i] + "' is not finite");
                }
            }
            // 3MF multiplies row vectors: x' = x m00 + y m10 + z m20 + m30; column-major 4x4 below
            return Transform.of(v[0], v[1], v[2], 0, v[3], v[4], v[5], 0, v[6], v[7], v[8], 0, v[9], v[10], v[11], 1);
        }

        private String required(XMLStreamReader r, String attribute) {
            String v = r.getAttributeValue(null, attribute);
            if (v == null) {
                throw bad(r, "<" + r.getLocalName() + "> has no " + attribute);
            }
            return v;
        }

        private BadInputException bad(XMLStreamReader r, String what) {
            return new BadInputException(file, "line " + r.getLocation().getLineNumber() + ": " + what);
        }

        private double unit(String unit) {
            return switch (unit == null ? "millimeter" : unit.toLowerCase(Locale.ROOT)) {
                case "micron" -> 1e-6;
                case "millimeter" -> 0.001;
                case "centimeter" -> 0.01;
                case "inch" -> 0.0254;
                case "foot" -> 0.3048;
                case "meter" -> 1.0;
                default -> throw new BadInputException(file, "unit '" + unit + "' is not one of micron, millimeter, "
                        + "centimeter, inch, foot, meter");
            };
        }
    }
}
