// An FBX file as objects and connections: the layer between the node tree and the scene.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.internal.SceneFill;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed file: its node tree, version, objects keyed by id (7.x: the Long id; 6.x and older: the string
 * "Class::Name"), connections both ways, and property templates. Property lookups merge an object's own
 * {@code Properties70}/{@code Properties60} over its class template.
 */
final class FbxDocument implements AutoCloseable {
    /** The scene root every top-level object connects to: id 0 in 7.x, "Model::Scene" before. */
    static final Object ROOT_ID = 0L;

    record Connection(String type, Object child, Object parent, String property) {
    }

    final Path file;
    final FbxNode root;
    final boolean binary;
    final int version;
    final Map<Object, FbxNode> objects = new LinkedHashMap<>();
    final Map<Object, List<Connection>> byParent = new HashMap<>();
    final Map<Object, List<Connection>> byChild = new HashMap<>();
    final Map<String, Map<String, FbxNode>> templates = new HashMap<>();
    final List<String> warnings = new ArrayList<>();
    /** The native memory of the large arrays ({@link FbxValues}); null for an ASCII file. */
    private final Arena values;

    private FbxDocument(Path file, FbxNode root, boolean binary, int version, Arena values) {
        this.file = file;
        this.values = values;
        this.root = root;
        this.binary = binary;
        this.version = version;
        index();
    }

    static FbxDocument open(Path file, ReadOptions options) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new BadInputException(file, "is " + size + " bytes, more than the FBX reader's limit of 2 GiB");
        }
        // A binary file is parsed from a mapping (shared: compressed arrays inflate on the common pool too), which
        // is closed once the tree holds what it needs: its bytes never sit on the heap whole.
        try (Arena mapping = Arena.ofShared(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (size >= FbxBinaryParser.MAGIC.length) {
                ByteBuffer mapped = SceneFill.map(ch, mapping).asByteBuffer();
                byte[] head = new byte[FbxBinaryParser.MAGIC.length];
                mapped.get(0, head);
                if (FbxBinaryParser.isBinary(head, head.length)) {
                    return parseBinary(file, mapped, options);
                }
            }
        }
        return parse(file, Files.readAllBytes(file), options);
    }

    static FbxDocument parse(Path file, byte[] bytes, ReadOptions options) {
        if (FbxBinaryParser.isBinary(bytes, bytes.length)) {
            return parseBinary(file, ByteBuffer.wrap(bytes), options);
        }
        long maxArrayBytes = maxArrayBytes(options);
        int scan = Math.min(bytes.length, 4096);
        for (int i = 0; i < scan; i++) {
            if (bytes[i] == 0) {
                throw new BadInputException(file, "byte " + i + ": is neither a binary FBX (no 'Kaydara FBX Binary' "
                        + "header) nor ASCII FBX text (it holds NUL bytes)");
            }
        }
        FbxAsciiParser p = new FbxAsciiParser(file, new String(bytes, StandardCharsets.UTF_8), maxArrayBytes / 4);
        FbxNode root = p.parse();
        int version = FbxAsciiParser.version(root);
        if (version == 0) {
            version = legacyVersion(bytes);
        }
        if (root.child("Objects") == null && root.child("Model") == null) {
            // 5.x keeps its models at the top level (as its binary files do); anything else needs 'Objects'.
            throw new BadInputException(file, "line " + p.line() + ": the text ends without an 'Objects' section or "
                    + "a top-level 'Model': it is not an FBX file or it is cut short");
        }
        FbxDocument doc = new FbxDocument(file, root, false, version, null);
        if (p.nonFiniteTokens > 0) {
            doc.warnings.add("line " + p.firstNonFiniteLine + ": " + p.nonFiniteTokens
                    + " MSVC-style non-finite number token(s) such as '" + p.firstNonFiniteToken
                    + "' (read as NaN/infinity; non-finite coordinates are set to 0)");
        }
        return doc;
    }

    private static long maxArrayBytes(ReadOptions options) {
        return Math.min(Integer.MAX_VALUE - 16L, Math.max(1 << 20, options.maxTriangles() * 3 * 8));
    }

    private static FbxDocument parseBinary(Path file, ByteBuffer bytes, ReadOptions options) {
        Arena values = Arena.ofShared();
        try {
            FbxBinaryParser p = new FbxBinaryParser(file, bytes, values, maxArrayBytes(options),
                    options.maxDecodedBytes());
            FbxNode root = p.parse();
            int version = p.version();
            FbxNode header = root.child("FBXHeaderExtension");
            if (header != null && header.child("FBXVersion") != null) {
                // 3ds Max 2009 writes 3000 in the binary header and the real 5800 here.
                version = (int) header.childNumber("FBXVersion", version);
            }
            return new FbxDocument(file, root, true, version, values);
        } catch (RuntimeException | Error e) {
            values.close();
            throw e;
        }
    }

    /** Frees the native memory of the large arrays: the scene holds copies, and nothing reads the tree after. */
    @Override
    public void close() {
        if (values != null) {
            values.close();
        }
    }

    /** ASCII 6.x states its version in the first comment line ("; FBX 6.1.0 project file"). */
    private static int legacyVersion(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.US_ASCII);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("FBX (\\d)\\.(\\d)\\.(\\d)").matcher(head);
        return m.find() ? Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2)) * 100
                + Integer.parseInt(m.group(3)) * 10 : 6100;
    }

    boolean legacy() {
        return version < 7000;
    }

    private void index() {
        FbxNode objs = root.child("Objects");
        if (objs != null) {
            for (FbxNode o : objs.children) {
                Object id = idOf(o);
                if (id != null) {
                    objects.putIfAbsent(id, o);
                }
            }
        } else {
            legacyObjects();
        }
        FbxNode conns = root.child("Connections");
        if (conns != null) {
            for (FbxNode c : conns.children) {
                if (!(c.name.equals("C") || c.name.equals("Connect")) || c.props.size() < 3) {
                    continue;
                }
                Object child = key(c.prop(1));
                Object parent = key(c.prop(2));
                connect(new Connection(c.string(0), child, parent, c.props.size() > 3 ? c.string(3) : ""));
            }
        }
        FbxNode defs = root.child("Definitions");
        if (defs != null) {
            for (FbxNode t : defs.all("ObjectType")) {
                FbxNode tpl = t.child("PropertyTemplate");
                if (tpl != null) {
                    Map<String, FbxNode> props = new HashMap<>();
                    collect(tpl, props);
                    templates.put(t.string(0), props);
                }
            }
        }
    }

    /**
     * 5800 and older keep models at the top level, their children in a {@code Children} list and their
     * materials inline; they become objects and "OO" connections like the later files'.
     */
    private void legacyObjects() {
        for (FbxNode o : root.all("Model")) {
            Object id = idOf(o);
            if (id == null) {
                continue;
            }
            objects.putIfAbsent(id, o);
            for (FbxNode m : o.all("Material")) {
                Object mid = idOf(m);
                if (mid != null) {
                    if (objects.containsKey(mid) && objects.get(mid) != m) {
                        mid = mid + "#" + objects.size();
                    }
                    objects.put(mid, m);
                    connect(new Connection("OO", mid, id, ""));
                }
            }
        }
        for (FbxNode o : root.all("Model")) {
            FbxNode kids = o.child("Children");
            if (kids != null) {
                for (Object k : kids.props) {
                    connect(new Connection("OO", key(k), idOf(o), ""));
                }
            }
        }
    }

    private void connect(Connection k) {
        byParent.computeIfAbsent(k.parent(), x -> new ArrayList<>()).add(k);
        byChild.computeIfAbsent(k.child(), x -> new ArrayList<>()).add(k);
    }

    /** 7.x objects lead with a numeric id; older ones are named "Class::Name". */
    Object idOf(FbxNode o) {
        Object first = o.prop(0);
        if (first instanceof Long || first instanceof Integer) {
            return ((Number) first).longValue();
        }
        if (first instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        if (first instanceof String s) {
            return key(s);
        }
        return null;
    }

    private static Object key(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v == null ? "" : v.toString();
        String[] cn = classAndName(s);
        String k = cn[0] + "::" + cn[1];
        return k.equals("Model::Scene") ? ROOT_ID : k;
    }

    /** {class, name} from "Name\0\1Class" (binary) or "Class::Name" (ASCII). */
    static String[] classAndName(String raw) {
        int sep = raw.indexOf("\u0000\u0001");
        if (sep >= 0) {
            return new String[] {raw.substring(sep + 2), raw.substring(0, sep)};
        }
        int cc = raw.indexOf("::");
        if (cc >= 0) {
            return new String[] {raw.substring(0, cc), raw.substring(cc + 2)};
        }
        return new String[] {"", raw};
    }

    /** The display name of an object: 7.x's second property, older files' first. */
    String nameOf(FbxNode o) {
        String raw = o.prop(0) instanceof String s ? s : o.string(1);
        return classAndName(raw)[1];
    }

    /** The subclass ("Mesh", "LimbNode", ...): the last string property. */
    String subclassOf(FbxNode o) {
        int i = o.prop(0) instanceof String ? 1 : 2;
        return o.string(i);
    }

    List<Connection> children(Object parent) {
        return byParent.getOrDefault(parent, List.of());
    }

    List<Connection> parents(Object child) {
        return byChild.getOrDefault(child, List.of());
    }

    /** The objects connected below {@code parent} whose node name is {@code kind}, in connection order. */
    List<Object> childObjects(Object parent, String kind) {
        List<Object> out = new ArrayList<>();
        for (Connection c : children(parent)) {
            FbxNode n = objects.get(c.child());
            if (n != null && (kind == null || n.name.equals(kind))) {
                out.add(c.child());
            }
        }
        return out;
    }

    /** The object's properties by name, its class template's beneath. */
    Map<String, FbxNode> properties(FbxNode o) {
        Map<String, FbxNode> out = new HashMap<>();
        Map<String, FbxNode> tpl = templates.get(o.name);
        if (tpl != null) {
            out.putAll(tpl);
        }
        collect(o, out);
        return out;
    }

    private static void collect(FbxNode o, Map<String, FbxNode> out) {
        FbxNode p70 = o.child("Properties70");
        if (p70 != null) {
            for (FbxNode p : p70.children) {
                out.put(p.string(0), p);
            }
        }
        FbxNode p60 = o.child("Properties60");
        if (p60 != null) {
            for (FbxNode p : p60.children) {
                out.put(p.string(0), p);
            }
        }
        if (p70 == null && p60 == null) {
            // 5800 inline objects: properties are plain child nodes (Diffuse: r, g, b).
            for (FbxNode p : o.children) {
                if (p.children.isEmpty()) {
                    out.putIfAbsent(p.name, p);
                }
            }
        }
    }

    /** Where a property's values start: after name, type, label, flags (P) or name, type, flags (Property). */
    static int valueStart(FbxNode p) {
        return p.name.equals("P") ? 4 : p.name.equals("Property") ? 3 : 0;
    }

    static double number(Map<String, FbxNode> props, String name, double fallback) {
        FbxNode p = props.get(name);
        return p == null ? fallback : p.number(valueStart(p), fallback);
    }

    static double[] vector(Map<String, FbxNode> props, String name, double... fallback) {
        FbxNode p = props.get(name);
        if (p == null) {
            return fallback;
        }
        int at = valueStart(p);
        double[] v = fallback.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = p.number(at + i, fallback[i]);
        }
        return v;
    }

    static String string(Map<String, FbxNode> props, String name, String fallback) {
        FbxNode p = props.get(name);
        return p == null || p.props.size() <= valueStart(p) ? fallback : p.string(valueStart(p));
    }

    /** "byte N" or "line N" of a node, for messages. */
    String where(FbxNode n) {
        return (binary ? "byte " : "line ") + n.where;
    }
}
