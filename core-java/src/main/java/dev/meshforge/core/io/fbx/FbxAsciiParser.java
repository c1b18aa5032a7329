// Parses ASCII FBX (5.x, 6.x and 7.x) into the same node tree the binary parser makes.
package dev.meshforge.core.io.fbx;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;

import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The text encoding: {@code Name: value, value, ... { children }}, values being numbers, "strings", bare words
 * and 7.x arrays {@code *N { a: v, v, ... }}. A value list may continue on the next line after or before a
 * comma (5.x and 6.x wrap long arrays that way); a block's '{' may stand on the next line; lines may end in LF, CR
 * LF or CR alone. Integers become Long, other numbers Double, arrays double[]. The
 * MSVC spellings {@code 1.#NAN}, {@code 1.#INF}, {@code -1.#IND} are read as NaN and infinities and counted so the
 * reader can report them.
 */
final class FbxAsciiParser {
    private static final int MAX_DEPTH = 64;

    private final Path file;
    private final char[] s;
    private final long maxArrayElements;
    private int pos;
    private int line = 1;
    /** MSVC non-finite tokens met, and the line of the first. */
    int nonFiniteTokens;
    int firstNonFiniteLine;
    String firstNonFiniteToken;

    FbxAsciiParser(Path file, String text, long maxArrayElements) {
        this.file = file;
        // Line endings as written by Windows (CR LF), classic Mac OS (CR) or Unix (LF) all become LF, so that
        // comments, value lists and line numbers read the same whichever the exporter's platform was.
        this.s = text.indexOf('\r') < 0 ? text.toCharArray()
                : text.replace("\r\n", "\n").replace('\r', '\n').toCharArray();
        this.maxArrayElements = maxArrayElements;
    }

    /** The line the parser has reached: after {@link #parse}, the file's last. */
    int line() {
        return line;
    }

    FbxNode parse() {
        FbxNode root = new FbxNode("", new ArrayList<>(), new ArrayList<>(), 0);
        nodes(root, 0, false);
        return root;
    }

    /** The version a 7.x header ({@code FBXVersion: 7400}) or a 6.x comment ({@code FBX 6.1.0}) states, or 0. */
    static int version(FbxNode root) {
        FbxNode header = root.child("FBXHeaderExtension");
        if (header != null) {
            return (int) header.childNumber("FBXVersion", 0);
        }
        return 0;
    }

    private void nodes(FbxNode parent, int depth, boolean inBraces) {
        if (depth > MAX_DEPTH) {
            throw bad("nests nodes deeper than " + MAX_DEPTH + " levels");
        }
        while (true) {
            skipSpaceAndNewlines();
            if (pos >= s.length) {
                if (inBraces) {
                    throw bad("the file ends inside a '{' block");
                }
                return;
            }
            char c = s[pos];
            if (c == '}') {
                if (!inBraces) {
                    throw bad("a '}' closes no block");
                }
                pos++;
                return;
            }
            parent.children.add(node(depth));
        }
    }

    private FbxNode node(int depth) {
        int nodeLine = line;
        int start = pos;
        while (pos < s.length && s[pos] != ':' && s[pos] != '\n' && s[pos] != '{' && s[pos] != '}') {
            pos++;
        }
        if (pos >= s.length || s[pos] != ':') {
            throw bad("expected 'Name:' but found '" + snippet(start) + "'");
        }
        String name = new String(s, start, pos - start).trim();
        pos++;
        FbxNode node = new FbxNode(name, new ArrayList<>(), new ArrayList<>(), nodeLine);
        values(node, depth);
        skipSpace();
        if (pos < s.length && s[pos] == '{') {
            pos++;
            nodes(node, depth + 1, true);
        } else if (braceOnNextLine()) {
            // Some exporters put a node's '{' on a line of its own; nothing else may begin a line with one.
            skipSpaceAndNewlines();
            pos++;
            nodes(node, depth + 1, true);
        }
        return node;
    }

    /** The values after a name, up to the end of the line, '{' or '}' (continuing over comma-wrapped lines). */
    private void values(FbxNode node, int depth) {
        boolean expectValue = false;
        while (true) {
            skipSpace();
            if (pos >= s.length) {
                return;
            }
            char c = s[pos];
            if (c == '\n' || c == ';') {
                // A value list continues on the next line after a trailing comma or before a leading one.
                if (!expectValue && !nextLineStartsWithComma()) {
                    return;
                }
                skipSpaceAndNewlines();
                continue;
            }
            if (c == '{' || c == '}') {
                return;
            }
            if (c == ',') {
                pos++;
                expectValue = true;
                continue;
            }
            if (c == '*') {
                pos++;
                node.props.add(array(node.name, depth));
                expectValue = false;
                continue;
            }
            node.props.add(value());
            expectValue = false;
        }
    }

    private boolean braceOnNextLine() {
        int p = pos;
        while (p < s.length && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n')) {
            p++;
        }
        return p < s.length && s[p] == '{';
    }

    private boolean nextLineStartsWithComma() {
        int p = pos;
        while (p < s.length) {
            char c = s[p];
            if (c == ';') {
                while (p < s.length && s[p] != '\n') {
                    p++;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                p++;
                continue;
            }
            return c == ',';
        }
        return false;
    }

    private Object value() {
        char c = s[pos];
        if (c == '"') {
            int start = ++pos;
            while (pos < s.length && s[pos] != '"') {
                if (s[pos] == '\n') {
                    line++;
                }
                pos++;
            }
            if (pos >= s.length) {
                throw bad("a string is not closed");
            }
            String v = new String(s, start, pos - start);
            pos++;
            return v.indexOf('&') >= 0 ? v.replace("&quot;", "\"").replace("&cr;", "\r").replace("&lf;", "\n") : v;
        }
        int start = pos;
        while (pos < s.length) {
            char d = s[pos];
            if (d == ',' || d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '{' || d == '}' || d == ';') {
                break;
            }
            pos++;
        }
        String tok = new String(s, start, pos - start);
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
            return number(tok);
        }
        return tok;
    }

    private Object number(String tok) {
        int hash = tok.indexOf('#');
        if (hash >= 0) {
            String kind = tok.substring(hash + 1).toUpperCase(java.util.Locale.ROOT);
            if (nonFiniteTokens++ == 0) {
                firstNonFiniteLine = line;
                firstNonFiniteToken = tok;
            }
            if (kind.startsWith("INF")) {
                return tok.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return Double.NaN;
        }
        boolean integral = true;
        for (int i = 0; i < tok.length(); i++) {
            char d = tok.charAt(i);
            if (!(d >= '0' && d <= '9') && !(i == 0 && (d == '-' || d == '+'))) {
                integral = false;
                break;
            }
        }
        try {
            if (integral && tok.length() < 19) {
                return Long.parseLong(tok);
            }
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw bad("'" + tok + "' is not a number");
        }
    }

    /** {@code *N { a: v, v, ... }} as double[] of exactly N values. */
    private Object array(String owner, int depth) {
        int start = pos;
        while (pos < s.length && s[pos] >= '0' && s[pos] <= '9') {
            pos++;
        }
        if (pos == start || pos - start > 12) {
            throw bad("'*' of node '" + owner + "' is not followed by an element count");
        }
        long n = Long.parseLong(new String(s, start, pos - start));
        if (n > maxArrayElements) {
            throw new LimitExceededException(file + ": line " + line + ": array of node '" + owner + "' declares "
                    + n + " elements, more than the limit of " + maxArrayElements
                    + " (derived from ReadOptions.maxTriangles)");
        }
        if (n > (s.length - pos) / 2 + 1) {
            throw bad("array of node '" + owner + "' declares " + n + " elements but only " + (s.length - pos)
                    + " characters remain");
        }
        skipSpace();
        if (pos >= s.length || s[pos] != '{') {
            throw bad("array of node '" + owner + "' lacks its '{'");
        }
        pos++;
        FbxNode holder = new FbxNode("*");
        nodes(holder, depth + 1, true);
        FbxNode a = holder.child("a");
        double[] d = a == null ? new double[0] : a.doubles();
        if (d.length != n) {
            throw new BadInputException(file, "line " + (a == null ? line : a.where) + ": array of node '" + owner
                    + "' declares " + n + " elements but holds " + d.length);
        }
        return d;
    }

    private void skipSpace() {
        while (pos < s.length && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r')) {
            pos++;
        }
    }

    private void skipSpaceAndNewlines() {
        while (pos < s.length) {
            char c = s[pos];
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF') {
                pos++;
            } else if (c == ';') {
                while (pos < s.length && s[pos] != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private String snippet(int from) {
        int end = Math.min(s.length, from + 40);
        int nl = from;
        while (nl < end && s[nl] != '\n' && s[nl] != '\r') {
            nl++;
        }
        return new String(s, from, nl - from);
    }

    private BadInputException bad(String what) {
        return new BadInputException(file, "line " + line + ": " + what);
    }
}
