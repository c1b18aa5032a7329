// What `inspect` measures on a triangle mesh; the JSON keys are the corpus facts' names.
package dev.meshforge.core.inspect;

import dev.meshforge.core.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Defects and measures of a triangle mesh after welding vertices with exactly equal positions.
 *
 * @param vertices                     distinct positions
 * @param triangles                    faces
 * @param holes                        boundary loops
 * @param openEdges                    edges with exactly one face
 * @param nonManifoldEdges             edges with more than two faces
 * @param inconsistentOrientationEdges two-face edges whose faces traverse it in the same direction
 * @param degenerateFaces              faces of zero area
 * @param duplicateFaces               faces over the same three vertices as an earlier face
 * @param components                   connected parts
 * @param intersectingPairs            pairs of non-adjacent triangles that intersect
 * @param watertight                   closed, manifold and consistently oriented
 * @param volume                       signed volume (negative when the faces point inwards)
 * @param area                         surface area
 * @param bboxMin                      smallest corner of the bounding box
 * @param bboxMax                      largest corner of the bounding box
 */
public record MeshReport(long vertices, long triangles, long holes, long openEdges, long nonManifoldEdges,
                         long inconsistentOrientationEdges, long degenerateFaces, long duplicateFaces,
                         long components, long intersectingPairs, boolean watertight, double volume, double area,
                         double[] bboxMin, double[] bboxMax) implements Report {

    /** The report as ordered key/value pairs under the documented JSON names. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vertices", vertices);
        m.put("triangles", triangles);
        m.put("holes", holes);
        m.put("open_edges", openEdges);
        m.put("non_manifold_edges", nonManifoldEdges);
        m.put("inconsistent_orientation_edges", inconsistentOrientationEdges);
        m.put("degenerate_faces", degenerateFaces);
        m.put("duplicate_faces", duplicateFaces);
        m.put("components", components);
        m.put("intersecting_pairs", intersectingPairs);
        m.put("watertight", watertight);
        m.put("volume", volume);
        m.put("area", area);
        Map<String, Object> bbox = new LinkedHashMap<>();
        bbox.put("min", List.of(bboxMin[0], bboxMin[1], bboxMin[2]));
        bbox.put("max", List.of(bboxMax[0], bboxMax[1], bboxMax[2]));
        m.put("bbox", bbox);
        return m;
    }

    /** One line a figure: its JSON name in words, then its value. */
    @Override
    public List<String> toText() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Object> e : toMap().entrySet()) {
            String text;
            if (e.getValue() instanceof Boolean b) {
                text = b ? "yes" : "no";
            } else if (e.getValue() instanceof Double d) {
                text = String.format(Locale.ROOT, "%.6g", d);
            } else if (e.getKey().equals("bbox")) {
                text = corner(bboxMin) + " .. " + corner(bboxMax);
            } else {
                text = String.valueOf(e.getValue());
            }
            lines.add(String.format(Locale.ROOT, "%-32s %s", e.getKey().replace('_', ' '), text));
        }
        return lines;
    }

    private static String corner(double[] c) {
        return String.format(Locale.ROOT, "(%.6g, %.6g, %.6g)", c[0], c[1], c[2]);
    }

    /** Length of the bounding box diagonal (0 for an empty mesh). */
    public double diagonal() {
        if (triangles == 0) {
            return 0;
        }
        double dx = bboxMax[0] - bboxMin[0];
        double dy = bboxMax[1] - bboxMin[1];
        double dz = bboxMax[2] - bboxMin[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
