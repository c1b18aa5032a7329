// What a tool found and did, in one place: the CLI prints it, `--json` and the server emit it.
package dev.meshforge.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one tool run. A report is a record; {@link #toMap()} gives its components in order under
 * snake_case names (nested reports as their own maps, enums in lower case), so that the JSON keys can never
 * drift from the figures. {@link #toText()} is the same report for a person.
 */
public interface Report {
    /** Lines for a person, without a trailing newline each. */
    List<String> toText();

    /** The figures as ordered, JSON-ready pairs. */
    default Map<String, Object> toMap() {
        if (!(this instanceof Record record)) {
            throw new IllegalStateException(getClass().getName() + " must be a record or override toMap()");
        }
        return mapOf(record);
    }

    /** The components of a record as ordered snake_case pairs, converted as {@link #toMap()} describes. */
    static Map<String, Object> mapOf(Record record) {
        RecordAccessors.Component[] components = RecordAccessors.OF.get(record.getClass());
        Map<String, Object> m = LinkedHashMap.newLinkedHashMap(components.length);
        for (RecordAccessors.Component c : components) {
            try {
                m.put(c.name(), plain(c.accessor().invoke(record)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.name() + " of " + record.getClass(), e);
            }
        }
        return m;
    }

    /** A value as JSON takes it: reports as maps, enums as lower-case names, arrays and collections as lists. */
    static Object plain(Object v) {
        if (v instanceof Report r) {
            return r.toMap();
        }
        if (v instanceof Record r) {
            return mapOf(r);
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Path p) {
            return p.toString();
        }
        if (v instanceof double[] d) {
            List<Object> list = new ArrayList<>(d.length);
            for (double x : d) {
                list.add(x);
            }
            return list;
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(Report::plain).toList();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        return v;
    }

    /** "hausdorffOutIn" -> "hausdorff_out_in". */
    static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
