// What the body readers do with each property of one element: which vertex slot it fills, or face corners.
package dev.meshforge.core.io.ply;

/**
 * For every property of {@code element}, in order: {@code action[k]} is a vertex slot of {@link PlyGeometry}
 * ({@code 0..11}), {@link #CORNERS} for the face index list, {@link #CORNER_UVS} for the face's per-corner
 * texture coordinates ({@code texcoord}: u v per corner, as MeshLab writes them), or {@link #IGNORE}. A value
 * read for a slot is turned into the stored one as {@code (raw < 0 ? raw + wrap[k] : raw) * scale[k]}: integer
 * colors become 0..1 that way, their signed types read as unsigned bytes.
 */
record ElementPlan(PlyHeader.Element element, int[] action, double[] scale, double[] wrap) {
    static final int IGNORE = -1;
    static final int CORNERS = 100;
    static final int CORNER_UVS = 101;

    static ElementPlan ignoring(PlyHeader.Element element) {
        int n = element.properties().size();
        int[] action = new int[n];
        double[] scale = new double[n];
        java.util.Arrays.fill(action, IGNORE);
        java.util.Arrays.fill(scale, 1.0);
        return new ElementPlan(element, action, scale, new double[n]);
    }

    /** Whether no property of this element is kept (a record only needs to be stepped over). */
    boolean ignoresAll() {
        for (int a : action) {
            if (a != IGNORE) {
                return false;
            }
        }
        return true;
    }

    /** How messages name record {@code index} of this element: "face 12", "vertex 3", "edge 0". */
    String record(long index) {
        return element.name() + " " + index;
    }
}
