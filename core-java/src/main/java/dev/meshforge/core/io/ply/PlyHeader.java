// The PLY header: encoding, elements and their typed properties, parsed from the first lines of a file.
package dev.meshforge.core.io.ply;

import dev.meshforge.core.BadInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed header. Lines may end in LF, CRLF or a lone CR; the body starts right after the line terminator of
 * {@code end_header}, so a binary body whose first byte is 0x0A is read correctly.
 *
 * @param encoding   how the body is written
 * @param elements   the declared elements in body order
 * @param bodyOffset byte offset of the first body byte
 * @param lines      number of header lines (the body's first line is line {@code lines + 1})
 * @param warnings   what was odd but readable (an unexpected version)
 */
record PlyHeader(Encoding encoding, List<Element> elements, long bodyOffset, long lines, List<String> warnings) {
    /** A header longer than this without end_header is not a PLY header. */
    static final long MAX_HEADER_BYTES = 16L << 20;

    enum Encoding { ASCII, BINARY_LITTLE_ENDIAN, BINARY_BIG_ENDIAN }

    /** PLY's scalar types, under both their classic and their sized names. */
    enum Type {
        CHAR("char", "int8", 1, true, true),
        UCHAR("uchar", "uint8", 1, false, true),
        SHORT("short", "int16", 2, true, true),
        USHORT("ushort", "uint16", 2, false, true),
        INT("int", "int32", 4, true, true),
        UINT("uint", "uint32", 4, false, true),
        FLOAT("float", "float32", 4, true, false),
        DOUBLE("double", "float64", 8, true, false);

        final String name;
        final String sizedName;
        final int size;
        final boolean signed;
        final boolean integer;

        Type(String name, String sizedName, int size, boolean signed, boolean integer) {
            this.name = name;
            this.sizedName = sizedName;
            this.size = size;
            this.signed = signed;
            this.integer = integer;
        }

        static Type parse(String word) {
            for (Type t : values()) {
                if (t.name.equals(word) || t.sizedName.equals(word)) {
                    return t;
                }
            }
            return null;
        }

        /** The largest value of the unsigned type of this width: 255, 65535, 4294967295. */
        double unsignedMax() {
            return size == 1 ? 255.0 : size == 2 ? 65535.0 : 4294967295.0;
        }
    }

    /**
     * A property: a scalar of {@code type}, or (when {@code countType} is not null) a list of {@code type}
     * items preceded by its length as a {@code countType}.
     */
    record Property(String name, Type type, Type countType, long line) {
        boolean isList() {
            return countType != null;
        }

        String describe() {
            return isList() ? "list " + countType.name + " " + type.name + " " + name : type.name + " " + name;
        }
    }

    /** An element: {@code count} records, each holding the properties in order. */
    record Element(String name, long count, List<Property> properties, long line) {
        boolean hasLists() {
            for (Property p : properties) {
                if (p.isList()) {
                    return true;
                }
            }
            return false;
        }

        /** Size in bytes of a binary record without lists, or of the scalars and list counts otherwise. */
        long minBinaryRecordBytes() {
            long n = 0;
            for (Property p : properties) {
                n += p.isList() ? p.countType.size : p.type.size;
            }
            return n;
        }

        /** The property named {@code name} (ignoring case), or null. */
        Property property(String name) {
            for (Property p : properties) {
                if (p.name.equalsIgnoreCase(name)) {
                    return p;
                }
            }
            return null;
        }

        String propertyNames() {
            StringBuilder sb = new StringBuilder();
            for (Property p : properties) {
                sb.append(sb.isEmpty() ? "" : " ").append(p.name);
            }
            return sb.toString();
        }
    }

    /** Parses the header at the start of {@code data}; malformed headers raise a BadInputException. */
    static PlyHeader parse(Path file, MemorySegment data) {
        LineReader in = new LineReader(data);
        String first = in.next();
        if (first == null || !first.strip().equals("ply")) {
            String shown = first == null ? "" : first.length() > 40 ? first.substring(0, 40) + "..." : first;
            throw new BadInputException(file, "line 1: a PLY file starts with the line 'ply', this one with '"
                    + printable(shown) + "'");
        }
        Encoding encoding = null;
        List<Element> elements = new ArrayList<>();
        List<Property> properties = null;
        List<String> warnings = new ArrayList<>();
        String line;
        while ((line = in.next()) != null) {
            long at = in.line();
            String[] w = line.strip().split("[ \t]+");
            String keyword = w[0].toLowerCase(Locale.ROOT);
            switch (keyword) {
                case "", "comment", "obj_info" -> {
                    // free text
                }
                case "format" -> {
                    if (encoding != null) {
                        throw new BadInputException(file, "line " + at + ": a second 'format' line");
                    }
                    encoding = encoding(file, w, at);
                    if (w.length < 3 || !w[2].equals("1.0")) {
                        warnings.add(file + ": line " + at + ": PLY version '" + (w.length < 3 ? "" : w[2])
                                + "' is not 1.0; read as 1.0");
                    }
                }
                case "element" -> {
                    requireFormat(file, encoding, at);
                    if (w.length != 3) {
                        throw new BadInputException(file, "line " + at + ": expected 'element NAME COUNT', got '"
                                + printable(line.strip()) + "'");
                    }
                    String name = printable(w[1]);
                    long count = count(w[2]);
                    if (count < 0) {
                        throw new BadInputException(file, "line " + at + ": the count of element '" + name + "' is '"
                                + printable(w[2]) + "', not a whole number from 0 to " + Long.MAX_VALUE);
                    }
                    for (Element e : elements) {
                        if (e.name.equals(name)) {
                            throw new BadInputException(file, "line " + at + ": element '" + name
                                    + "' is declared a second time (first at line " + e.line + ")");
                        }
                    }
                    properties = new ArrayList<>();
                    elements.add(new Element(name, count, properties, at));
                }
                case "property" -> {
                    requireFormat(file, encoding, at);
                    if (properties == null) {
                        throw new BadInputException(file, "line " + at + ": a property before any element");
                    }
                    Property p = property(file, w, at);
                    for (Property q : properties) {
                        if (q.name.equals(p.name)) {
                            throw new BadInputException(file, "line " + at + ": property '" + p.name
                                    + "' is declared twice in element '" + elements.getLast().name + "'");
                        }
                    }
                    properties.add(p);
                }
                case "end_header" -> {
                    requireFormat(file, encoding, at);
                    return new PlyHeader(encoding, List.copyOf(elements), in.position(), at, warnings);
                }
                default -> throw new BadInputException(file, "line " + at + ": unexpected '" + printable(w[0])
                        + "' in the header; expected format, comment, obj_info, element, property or end_header");
            }
        }
        if (in.tooLong()) {
            throw new BadInputException(file, "no 'end_header' in the first " + MAX_HEADER_BYTES
                    + " bytes: the header is not terminated");
        }
        throw new BadInputException(file, "the header has no 'end_header' line (the file ends at line "
                + in.line() + ")");
    }

    private static Encoding encoding(Path file, String[] w, long at) {
        String name = w.length > 1 ? w[1] : "";
        return switch (name) {
            case "ascii" -> Encoding.ASCII;
            case "binary_little_endian" -> Encoding.BINARY_LITTLE_ENDIAN;
            case "binary_big_endian" -> Encoding.BINARY_BIG_ENDIAN;
            default -> throw new BadInputException(file, "line " + at + ": unknown format '" + printable(name)
                    + "'; expected ascii, binary_little_endian or binary_big_endian");
        };
    }

    private static void requireFormat(Path file, Encoding encoding, long at) {
        if (encoding == null) {
            throw new BadInputException(file, "line " + at + ": the header has no 'format' line before this one");
        }
    }

    private static Property property(Path file, String[] w, long at) {
        if (w.length >= 2 && w[1].equals("list")) {
            if (w.length != 5) {
                throw new BadInputException(file, "line " + at
                        + ": expected 'property list COUNT_TYPE ITEM_TYPE NAME'");
            }
            Type count = type(file, w[2], at);
            Type item = type(file, w[3], at);
            if (!count.integer) {
                throw new BadInputException(file, "line " + at + ": list '" + printable(w[4]) + "' has the count type "
                        + count.name + "; a list count must be an integer type");
            }
            return new Property(printable(w[4]), item, count, at);
        }
        if (w.length != 3) {
            throw new BadInputException(file, "line " + at + ": expected 'property TYPE NAME'");
        }
        return new Property(printable(w[2]), type(file, w[1], at), null, at);
    }

    private static Type type(Path file, String word, long at) {
        Type t = Type.parse(word);
        if (t == null) {
            throw new BadInputException(file, "line " + at + ": unknown property type '" + printable(word)
                    + "'; expected char, uchar, short, ushort, int, uint, float, double or int8 ... float64");
        }
        return t;
    }

    /** A non-negative decimal integer, or -1. */
    private static long count(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < 0 ? -1 : n;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= ' ' && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    /** Header lines ending in LF, CRLF or CR, at most {@link #MAX_HEADER_BYTES} in all. */
    private static final class LineReader {
        private final MemorySegment data;
        private final long end;
        private long pos;
        private long line;
        private boolean tooLong;

        LineReader(MemorySegment data) {
            this.data = data;
            this.end = Math.min(data.byteSize(), MAX_HEADER_BYTES);
            this.tooLong = data.byteSize() > MAX_HEADER_BYTES;
        }

        /** The next line without its terminator, or null at the end of the header window. */
        String next() {
            if (pos >= end) {
                return null;
            }
            long start = pos;
            while (pos < end) {
                byte b = data.get(ValueLayout.JAVA_BYTE, pos);
                if (b == '\n' || b == '\r') {
                    break;
                }
                pos++;
            }
            if (pos >= end && tooLong) {
                return null;
            }
            byte[] bytes = new byte[(int) (pos - start)];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, bytes, 0, bytes.length);
            if (pos < data.byteSize()) {
                byte b = data.get(ValueLayout.JAVA_BYTE, pos++);
                if (b == '\r' && pos < data.byteSize() && data.get(ValueLayout.JAVA_BYTE, pos) == '\n') {
                    pos++;
                }
            }
            line++;
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        long line() {
            return line;
        }

        long position() {
            return pos;
        }

        boolean tooLong() {
            return tooLong;
        }
    }
}
