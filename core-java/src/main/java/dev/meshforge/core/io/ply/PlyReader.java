// Reads PLY (ascii, binary little and big endian) into a scene: one primitive of triangles, or of points.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.io.SceneReader;
import dev.meshforge.core.io.internal.SceneFill;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.scene.Units;
import dev.meshforge.core.scene.UpAxis;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PLY in its three encodings, with elements and properties in any order and of any scalar type.
 *
 * <ul>
 *   <li>The {@code vertex} element gives POSITION ({@code x y z}, required), NORMAL ({@code nx ny nz}),
 *       COLOR_0 as RGBA in 0..1 ({@code red green blue [alpha]}, also {@code diffuse_*}; integer types are
 *       divided by their unsigned maximum, 255 for uchar, floats are taken as they are, a missing alpha is 1)
 *       and TEXCOORD_0 (the first complete pair of {@code s t}, {@code u v}, {@code texture_u texture_v},
 *       {@code texture_s texture_t}). PLY puts the texture origin at the bottom left, glTF at the top left,
 *       so V is flipped: TEXCOORD_0 holds {@code (u, 1 - v)}.</li>
 *   <li>The {@code face} element's {@code vertex_indices} (or {@code vertex_index}) lists of any length are
 *       triangulated by {@link dev.meshforge.core.io.PolygonTriangulator}, so concave polygons stay inside
 *       their outline; faces with fewer than three corners are skipped with a warning. A face's
 *       {@code texcoord} list (u v per corner, as MeshLab writes it) gives TEXCOORD_0 per
 *       corner: a vertex whose corners disagree is split, and these take the place of vertex coordinates.</li>
 *   <li>A file without face records is a point cloud: one {@link dev.meshforge.core.scene.Topology#POINTS}
 *       primitive.</li>
 *   <li>Other elements (edges, materials, ...) and properties without a place in the scene are skipped with
 *       a warning.</li>
 * </ul>
 *
 * Before allocating anything, the declared element counts are checked against the bytes the body holds and
 * against {@link ReadOptions#maxTriangles()} (vertices: at most three times that, and 2^32 - 1 for uint32
 * indices), so a hostile header fails at once. PLY carries no unit: the scene's unit is assumed (metres, Y up,
 * not declared). Binary input is memory-mapped.
 */
public final class PlyReader implements SceneReader {
    /** PLY has no unit; most PLY files come from scanners and tools that work in metres with Y up. */
    static final Units ASSUMED_UNITS = new Units(1.0, UpAxis.Y, false);

    private static final String[][] UV_NAMES = {{"s", "t"}, {"u", "v"}, {"texture_u", "texture_v"},
            {"texture_s", "texture_t"}};
    private static final String[][] COLOR_NAMES = {{"red", "green", "blue", "alpha"},
            {"diffuse_red", "diffuse_green", "diffuse_blue", "diffuse_alpha"}};

    /**
     * From this size a file's large elements may be read in two halves at once (see PlyBinaryBody), its bytes then in
     * a shared arena: 65,536 vertices of x y z floats.
     */
    private static final long HALVES_BYTES = PlyBinaryBody.PARALLEL_RECORDS * 12;

    @Override
    public Scene read(Path file, ReadOptions options) throws IOException {
        boolean halves = Runtime.getRuntime().availableProcessors() >= 2 && Files.size(file) >= HALVES_BYTES;
        return SceneFill.fillMapped(file, "a PLY file", new Scene().units(ASSUMED_UNITS),
                halves, (data, scene, bytes) -> {
                    PlyHeader header = PlyHeader.parse(file, data);
                    for (String w : header.warnings()) {
                        scene.warn(w);
                    }
                    readBody(file, data, header, options, scene, halves);
                });
    }

    private static void readBody(Path file, MemorySegment data, PlyHeader header, ReadOptions options,
                                 Scene scene, boolean halves) {
        List<PlyHeader.Element> elements = header.elements();
        if (elements.isEmpty()) {
            throw new BadInputException(file, "the header declares no elements: the file is a header without "
                    + "vertex data");
        }
        PlyHeader.Element vertex = find(elements, "vertex");
        PlyHeader.Element face = find(elements, "face");
        if (vertex == null) {
            throw new BadInputException(file, "the header declares no 'vertex' element (only " + names(elements)
                    + ")");
        }
        ElementPlan vertexPlan = vertexPlan(file, vertex, scene);
        ElementPlan facePlan = face == null ? null : facePlan(file, face, scene);
        boolean hasFaces = facePlan != null && !facePlan.ignoresAll() && face.count() > 0;

        long body = data.byteSize() - header.bodyOffset();
        checkDeclaredSizes(file, header, body);
        long maxVertices = Math.min(0xFFFF_FFFFL, saturatedProduct(options.maxTriangles(), 3));
        if (vertex.count() > maxVertices) {
            throw new LimitExceededException(file + ": declares " + vertex.count() + " vertices, more than the limit "
                    + "of " + maxVertices + (maxVertices == 0xFFFF_FFFFL ? " (uint32 indices)"
                    : " (3 x ReadOptions.maxTriangles)"));
        }
        if (hasFaces && face.count() > options.maxTriangles()) {
            throw new LimitExceededException(file + ": declares " + face.count() + " faces, more than the limit of "
                    + options.maxTriangles() + " triangles (ReadOptions.maxTriangles)");
        }

        List<ElementPlan> plans = new ArrayList<>();
        for (PlyHeader.Element e : elements) {
            if (e == vertex) {
                plans.add(vertexPlan);
            } else if (e == face && facePlan != null) {
                plans.add(facePlan);
            } else {
                if (e.count() > 0) {
                    scene.warn(file + ": element '" + e.name() + "' (" + e.count() + " records) is not supported; "
                            + "skipped");
                }
                plans.add(ElementPlan.ignoring(e));
            }
        }

        long faces = hasFaces ? face.count() : 0;
        long cornerGuess = hasFaces ? Math.min(faces * 3, body / 2) : 0;
        int[] a = vertexPlan.action();
        try (PlyGeometry geometry = new PlyGeometry(file, scene, vertex.count(), has(a, PlyGeometry.NX),
                has(a, PlyGeometry.RED), has(a, PlyGeometry.ALPHA), has(a, PlyGeometry.U), cornerGuess,
                options.maxTriangles(), options.fanTriangulation(),
                header.encoding() != PlyHeader.Encoding.ASCII && PlyBinaryBody.fillsTargets(vertex))) {
            if (header.encoding() == PlyHeader.Encoding.ASCII) {
                PlyAsciiBody ascii = new PlyAsciiBody(file, data.asSlice(header.bodyOffset()), header.lines());
                for (ElementPlan plan : plans) {
                    ascii.read(plan, geometry);
                }
                String trailing = ascii.trailing();
                if (trailing != null) {
                    scene.warn(trailing);
                }
            } else {
                ByteOrder order = header.encoding() == PlyHeader.Encoding.BINARY_LITTLE_ENDIAN
                        ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                PlyBinaryBody binary = new PlyBinaryBody(file, data, order, halves);
                long at = header.bodyOffset();
                for (ElementPlan plan : plans) {
                    at = binary.read(at, plan, geometry);
                }
                if (at < data.byteSize()) {
                    scene.warn(file + ": " + (data.byteSize() - at) + " bytes after the last record the header "
                            + "declares (from byte " + at + "); ignored");
                }
            }
            geometry.finish(Format.stem(file), hasFaces);
        }
    }

    /**
     * Fails when the records the header declares cannot fit in the body, whatever their content: binary
     * records take at least their scalars and list counts, ASCII ones at least two bytes per value.
     */
    private static void checkDeclaredSizes(Path file, PlyHeader header, long body) {
        boolean ascii = header.encoding() == PlyHeader.Encoding.ASCII;
        long need = 0;
        for (PlyHeader.Element e : header.elements()) {
            long perRecord = ascii ? 2L * e.properties().size() : e.minBinaryRecordBytes();
            long bytes = saturatedProduct(e.count(), perRecord);
            need = need + bytes < 0 ? Long.MAX_VALUE : need + bytes;
            long minimum = ascii && need > 0 ? need - 1 : need;
            if (minimum > body) {
                String needed = minimum == Long.MAX_VALUE ? "more bytes than any file holds"
                        : "at least " + minimum + " bytes together with the records before them";
                throw new BadInputException(file, "line " + e.line() + ": the header declares " + e.count() + " '"
                        + e.name() + "' records, which need " + needed + ", but the file has only " + body
                        + " bytes after its header (a truncated body or a wrong count)");
            }
        }
    }

    private static long saturatedProduct(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static ElementPlan vertexPlan(Path file, PlyHeader.Element vertex, Scene scene) {
        ElementPlan plan = ElementPlan.ignoring(vertex);
        for (PlyHeader.Property p : vertex.properties()) {
            String n = p.name().toLowerCase(Locale.ROOT);
            if (p.isList() && (n.equals("vertex_indices") || n.equals("vertex_index"))) {
                throw new BadInputException(file, "line " + p.line() + ": the face list '" + p.name() + "' is declared "
                        + "under element 'vertex'; vertex indices belong to a 'face' element");
            }
        }
        String[] axes = {"x", "y", "z"};
        for (int i = 0; i < 3; i++) {
            PlyHeader.Property p = vertex.property(axes[i]);
            if (p == null) {
                throw new BadInputException(file, "line " + vertex.line() + ": element 'vertex' has no property '"
                        + axes[i] + "' (it has: " + vertex.propertyNames() + ")");
            }
            if (p.isList()) {
                throw new BadInputException(file, "line " + p.line() + ": vertex property '" + p.name()
                        + "' is a list; a coordinate must be a scalar");
            }
            map(plan, p, PlyGeometry.X + i, 1.0);
        }
        mapGroup(file, plan, new String[] {"nx", "ny", "nz"}, PlyGeometry.NX, false, scene, "normals");
        for (String[] names : COLOR_NAMES) {
            if (mapGroup(file, plan, names, PlyGeometry.RED, true, scene, "colors")) {
                break;
            }
        }
        for (String[] names : UV_NAMES) {
            if (mapGroup(file, plan, names, PlyGeometry.U, false, scene, "texture coordinates")) {
                break;
            }
        }
        List<String> ignored = new ArrayList<>();
        for (int k = 0; k < plan.action().length; k++) {
            if (plan.action()[k] == ElementPlan.IGNORE) {
                ignored.add(vertex.properties().get(k).name());
            }
        }
        if (!ignored.isEmpty() && vertex.count() > 0) {
            scene.warn(file + ": vertex properties " + String.join(", ", ignored) + " have no place in the scene; "
                    + "ignored");
        }
        return plan;
    }

    /**
     * Maps the scalar properties {@code names} (the last one optional for colors: alpha) to consecutive slots
     * from {@code first}; true when the group is complete. A partial group is ignored with a warning.
     */
    private static boolean mapGroup(Path file, ElementPlan plan, String[] names, int first, boolean color,
                                    Scene scene, String what) {
        PlyHeader.Element e = plan.element();
        int required = color ? 3 : names.length;
        int found = 0;
        for (int i = 0; i < required; i++) {
            PlyHeader.Property p = e.property(names[i]);
            if (p != null && !p.isList()) {
                found++;
            }
        }
        if (found == 0) {
            return false;
        }
        if (found < required) {
            scene.warn(file + ": vertex " + what + " need all of " + String.join(", ", List.of(names)
                    .subList(0, required)) + "; the partial set is ignored");
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            PlyHeader.Property p = e.property(names[i]);
            if (p == null || p.isList()) {
                continue;
            }
            double scale = color && p.type().integer ? 1.0 / p.type().unsignedMax() : 1.0;
            map(plan, p, first + i, scale);
            if (color && p.type().integer && p.type().signed) {
                plan.wrap()[e.properties().indexOf(p)] = p.type().unsignedMax() + 1;
            }
        }
        return true;
    }

    private static void map(ElementPlan plan, PlyHeader.Property p, int slot, double scale) {
        int k = plan.element().properties().indexOf(p);
        plan.action()[k] = slot;
        plan.scale()[k] = scale;
    }

    private static ElementPlan facePlan(Path file, PlyHeader.Element face, Scene scene) {
        ElementPlan plan = ElementPlan.ignoring(face);
        PlyHeader.Property list = face.property("vertex_indices");
        if (list == null) {
            list = face.property("vertex_index");
        }
        if (list == null) {
            if (face.count() > 0) {
                scene.warn(file + ": element 'face' has no vertex_indices list (it has: " + face.propertyNames()
                        + "); its " + face.count() + " records are skipped and the vertices read as points");
            }
            return plan;
        }
        if (!list.isList()) {
            throw new BadInputException(file, "line " + list.line() + ": face property '" + list.name() + "' is a "
                    + list.type().name + " scalar; vertex indices must be a list");
        }
        if (!list.type().integer) {
            throw new BadInputException(file, "line " + list.line() + ": face list '" + list.name() + "' holds "
                    + list.type().name + " items; vertex indices must be of an integer type");
        }
        map(plan, list, ElementPlan.CORNERS, 1.0);
        PlyHeader.Property uvs = face.property("texcoord");
        if (uvs != null && uvs.isList()) {
            map(plan, uvs, ElementPlan.CORNER_UVS, 1.0);
        }
        List<String> ignored = new ArrayList<>();
        for (PlyHeader.Property p : face.properties()) {
            if (p != list && p != uvs) {
                ignored.add(p.name());
            }
        }
        if (!ignored.isEmpty() && face.count() > 0) {
            scene.warn(file + ": face properties " + String.join(", ", ignored) + " have no place in the scene "
                    + "(per-face data); ignored");
        }
        return plan;
    }

    private static boolean has(int[] action, int slot) {
        for (int a : action) {
            if (a == slot) {
                return true;
            }
        }
        return false;
    }

    private static PlyHeader.Element find(List<PlyHeader.Element> elements, String name) {
        for (PlyHeader.Element e : elements) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String names(List<PlyHeader.Element> elements) {
        List<String> n = new ArrayList<>();
        for (PlyHeader.Element e : elements) {
            n.add("'" + e.name() + "'");
        }
        return String.join(", ", n);
    }
}
