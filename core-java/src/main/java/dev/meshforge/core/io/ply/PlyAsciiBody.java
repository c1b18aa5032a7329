// Reads the records of an ASCII PLY body: one record a line, exactly the values the header declares.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.io.text.TextCursor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Each record must sit on one line and hold exactly the values its element declares: a value missing before
 * the line ends, or one left over after the record, is an error naming the line. Blank lines between records
 * are allowed. Integer-typed scalars accept any number (some writers print colors as "255.0"); list lengths
 * and face indices must be whole numbers.
 */
final class PlyAsciiBody {
    private final Path file;
    private final TextCursor c;
    /** Added to the cursor's line numbers, which count from the body's first line. */
    private final long lineOffset;
    private boolean has;
    private int[] face = new int[64];

    PlyAsciiBody(Path file, MemorySegment body, long headerLines) {
        this.file = file;
        this.c = new TextCursor(body);
        this.lineOffset = headerLines;
        this.has = c.next();
    }

    private long line() {
        return c.line() + lineOffset;
    }

    /** Reads all records of one element. */
    void read(ElementPlan plan, PlyGeometry geometry) {
        PlyHeader.Element e = plan.element();
        if (e.properties().isEmpty()) {
            return;
        }
        int n = e.properties().size();
        PlyHeader.Property[] props = e.properties().toArray(new PlyHeader.Property[0]);
        int[] action = plan.action();
        long vertices = geometry.vertexCount();
        for (long r = 0; r < e.count(); r++) {
            if (!has) {
                throw new BadInputException(file, "line " + line() + ": the file ends after " + r + " of the "
                        + e.count() + " '" + e.name() + "' records the header declares (the body is truncated)");
            }
            long recordLine = c.line();
            for (int k = 0; k < n; k++) {
                PlyHeader.Property p = props[k];
                if (!p.isList()) {
                    need(recordLine, plan, r, p);
                    if (action[k] != ElementPlan.IGNORE) {
                        double x = number(plan, r, p);
                        if (x < 0) {
                            x += plan.wrap()[k];
                        }
                        geometry.set(action[k], r, x * plan.scale()[k]);
                    } else {
                        number(plan, r, p);
                    }
                    has = c.next();
                    continue;
                }
                need(recordLine, plan, r, p);
                long items = whole(plan, r, p, "the length of list '" + p.name() + "'");
                has = c.next();
                boolean corners = action[k] == ElementPlan.CORNERS;
                boolean uvs = action[k] == ElementPlan.CORNER_UVS;
                if (uvs) {
                    geometry.beginCornerUvs(r, items);
                }
                // Corners are collected first, so a length larger than the line reads as a short line.
                int gathered = 0;
                for (long i = 0; i < items; i++) {
                    need(recordLine, plan, r, p);
                    if (corners) {
                        long v = whole(plan, r, p, "a vertex index");
                        if (v >= vertices) {
                            throw new BadInputException(file, "line " + line() + ": " + plan.record(r)
                                    + " refers to vertex " + v + ", but the file has " + vertices + " vertices (0 to "
                                    + (vertices - 1) + ")");
                        }
                        if (gathered == face.length) {
                            face = java.util.Arrays.copyOf(face, gathered * 2);
                        }
                        face[gathered++] = (int) v;
                    } else if (uvs) {
                        geometry.cornerUv(number(plan, r, p));
                    } else {
                        number(plan, r, p);
                    }
                    has = c.next();
                }
                if (corners && geometry.beginFace(r, items)) {
                    for (int i = 0; i < gathered; i++) {
                        geometry.corner(Integer.toUnsignedLong(face[i]));
                    }
                }
            }
            if (has && c.line() == recordLine) {
                throw extra(plan, r);
            }
        }
    }

    /** Warns about anything after the last record; call once all elements are read. */
    String trailing() {
        if (!has) {
            return null;
        }
        return file + ": line " + line() + ": data after the last record the header declares ('" + c.token()
                + "...'); ignored";
    }

    private void need(long recordLine, ElementPlan plan, long r, PlyHeader.Property p) {
        if (!has || c.line() != recordLine) {
            throw new BadInputException(file, "line " + (recordLine + lineOffset) + ": " + plan.record(r)
                    + " ends before its property '" + p.name() + "'; the header declares "
                    + declared(plan.element()) + " (" + describe(plan.element()) + ")");
        }
    }

    private BadInputException extra(ElementPlan plan, long r) {
        long recordLine = c.line();
        String first = c.token();
        long count = 0;
        while (has && c.line() == recordLine) {
            count++;
            has = c.next();
        }
        return new BadInputException(file, "line " + (recordLine + lineOffset) + ": " + plan.record(r) + " has "
                + count + " value" + (count == 1 ? "" : "s") + " more than the header declares ("
                + describe(plan.element()) + "); the first extra value is '" + first + "'");
    }

    private static String declared(PlyHeader.Element e) {
        return e.hasLists() ? "these properties" : e.properties().size() + " values";
    }

    private static String describe(PlyHeader.Element e) {
        StringBuilder sb = new StringBuilder();
        for (PlyHeader.Property p : e.properties()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(p.describe());
        }
        return sb.toString();
    }

    private double number(ElementPlan plan, long r, PlyHeader.Property p) {
        double x = c.number();
        if (Double.isNaN(x) && !isNan(c.token())) {
            throw new BadInputException(file, "line " + line() + ": '" + c.token() + "' is not a number (property '"
                    + p.name() + "' of " + plan.record(r) + ")");
        }
        return x;
    }

    private long whole(ElementPlan plan, long r, PlyHeader.Property p, String what) {
        double x = c.number();
        if (!(x >= 0) || x != Math.rint(x) || x > 0x1p62) {
            throw new BadInputException(file, "line " + line() + ": '" + c.token()
                    + "' is not a non-negative whole number (" + what + " in property '" + p.name() + "' of "
                    + plan.record(r) + ")");
        }
        return (long) x;
    }

    private static boolean isNan(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        return t.equals("nan") || t.equals("-nan") || t.equals("+nan");
    }
}
