// Parses MTL material libraries into raw definitions; ObjMaterials turns the used ones into scene materials.
package dev.meshforge.core.io.obj;

import dev.meshforge.core.scene.Scene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The materials of one or more MTL files, by name. Statements: newmtl, Kd/Ka/Ks/Ke, Ns, d, Tr, illum, the PBR
 * extension (Pr, Pm, Ps, Pc, Pcr, aniso, norm, map_Pr, map_Pm, map_Ps, map_Ke ...) and texture maps with their
 * options. Unknown statements are counted in one warning per file. Names are trimmed, so trailing blanks after
 * {@code newmtl} and {@code usemtl} do not matter.
 */
final class MtlLibrary {
    /** A texture statement: the file as written (relative to the MTL's folder) and the options that matter. */
    record MapRef(String path, Path baseDir, float[] scale, float[] offset, float bumpMultiplier, boolean clamp,
                  char channel) {
    }

    /** One newmtl block as written. Absent values are null / NaN. */
    static final class Def {
        final String name;
        final Path source;
        float[] kd;
        float[] ks;
        float[] ke;
        float ns = Float.NaN;
        float d = Float.NaN;
        float tr = Float.NaN;
        int illum = -1;
        float pr = Float.NaN;
        float pm = Float.NaN;
        float pc = Float.NaN;
        float pcr = Float.NaN;
        final Map<String, MapRef> maps = new LinkedHashMap<>();

        Def(String name, Path source) {
            this.name = name;
            this.source = source;
        }
    }

    /** Option name to the number of arguments it takes (the -o/-s/-t vectors take one to three numbers). */
    private static final Map<String, Integer> OPTION_ARGS = Map.ofEntries(Map.entry("-blendu", 1),
            Map.entry("-blendv", 1), Map.entry("-bm", 1), Map.entry("-boost", 1), Map.entry("-cc", 1),
            Map.entry("-clamp", 1), Map.entry("-imfchan", 1), Map.entry("-mm", 2), Map.entry("-texres", 1),
            Map.entry("-type", 1), Map.entry("-o", 3), Map.entry("-s", 3), Map.entry("-t", 3));

    private final Map<String, Def> defs = new LinkedHashMap<>();
    private final Map<String, Def> byLowerName = new HashMap<>();

    Def find(String name) {
        Def d = defs.get(name);
        return d != null ? d : byLowerName.get(name.toLowerCase(Locale.ROOT));
    }

    boolean isEmpty() {
        return defs.isEmpty();
    }

    /** Reads one MTL file into this library; later definitions of a name replace earlier ones. */
    void read(Path mtl, Scene scene) throws IOException {
        ObjText t = new ObjText(mtl, dev.meshforge.core.io.internal.CompanionFolder.read(mtl));
        Path baseDir = mtl.toAbsolutePath().getParent();
        Def cur = null;
        Map<String, Long> unknown = new LinkedHashMap<>();
        while (!t.atEnd()) {
            if (!t.next()) {
                t.nextLine();
                continue;
            }
            if (t.firstByte() == '#') {
                t.skipCommentLine();
                continue;
            }
            String key = t.string(t.ts, t.te);
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("newmtl")) {
                cur = new Def(t.rest(), mtl);
                defs.put(cur.name, cur);
                byLowerName.putIfAbsent(cur.name.toLowerCase(Locale.ROOT), cur);
            } else if (cur == null) {
                unknown.merge(key + " (before any newmtl)", t.line(), (a, b) -> a);
            } else {
                switch (lower) {
                    case "kd" -> cur.kd = color(t);
                    case "ks" -> cur.ks = color(t);
                    case "ke" -> cur.ke = color(t);
                    case "ka", "tf", "ni", "sharpness", "ps", "pcr_", "aniso", "anisor" -> { }
                    case "ns" -> cur.ns = scalar(t);
                    case "d" -> {
                        // "d -halo 0.5": the halo form is read as plain dissolve.
                        if (t.next() && t.tokenIs("-halo")) {
                            t.next();
                        }
                        cur.d = (float) t.number("a dissolve value");
                    }
                    case "tr" -> cur.tr = scalar(t);
                    case "illum" -> cur.illum = (int) scalar(t);
                    case "pr" -> cur.pr = scalar(t);
                    case "pm" -> cur.pm = scalar(t);
                    case "pc" -> cur.pc = scalar(t);
                    case "pcr" -> cur.pcr = scalar(t);
                    case "map_kd", "map_ka", "map_ks", "map_ke", "map_d", "map_bump", "bump", "norm", "map_norm",
                         "map_pr", "map_pm", "map_ps", "map_ns", "disp", "decal", "refl", "map_refl", "map_ao",
                         "map_rma", "map_orm" -> {
                        MapRef ref = mapRef(t, baseDir);
                        if (ref != null) {
                            String slot = switch (lower) {
                                case "bump", "map_norm" -> "map_bump";
                                case "norm" -> "norm";
                                case "map_refl" -> "refl";
                                default -> lower;
                            };
                            cur.maps.put(slot, ref);
                        }
                    }
                    default -> unknown.merge(key, t.line(), (a, b) -> a);
                }
            }
            t.nextLine();
        }
        if (!unknown.isEmpty()) {
            scene.warn(mtl + ": statements not understood, ignored: " + unknown.entrySet().stream()
                    .map(e -> e.getKey() + " (line " + e.getValue() + ")").toList());
        }
    }

    private static float[] color(ObjText t) {
        if (!t.next()) {
            throw t.bad("a colour needs at least one number");
        }
        if (t.tokenIs("spectral") || t.tokenIs("xyz")) {
            throw t.bad("'" + t.token() + "' colours are not supported; give r g b");
        }
        float r = (float) t.number("a colour component");
        float g = r;
        float bl = r;
        if (t.next()) {
            g = (float) t.number("a colour component");
            if (t.next()) {
                bl = (float) t.number("a colour component");
            }
        }
        return new float[] {r, g, bl};
    }

    private static float scalar(ObjText t) {
        if (!t.next()) {
            throw t.bad("a number was expected");
        }
        return (float) t.number("a number");
    }

    /** Parses "-opt args... file name with spaces"; null (with nothing to warn) when no file is named. */
    private static MapRef mapRef(ObjText t, Path baseDir) {
        float[] scale = null;
        float[] offset = null;
        float bm = 1f;
        boolean clamp = false;
        char channel = 0;
        while (t.next()) {
            String tok = t.string(t.ts, t.te);
            Integer args = tok.startsWith("-") ? OPTION_ARGS.get(tok.toLowerCase(Locale.ROOT)) : null;
            if (args == null) {
                // The file name: this token and everything after it on the line.
                return new MapRef(t.restFromToken(), baseDir, scale, offset, bm, clamp, channel);
            }
            String opt = tok.toLowerCase(Locale.ROOT);
            if (args == 3) {
                float[] v = new float[] {Float.NaN, Float.NaN, Float.NaN};
                int n = 0;
                while (n < 3 && peekNumber(t)) {
                    v[n++] = (float) t.number("a texture option value");
                }
                if (n == 0) {
                    throw t.bad("texture option " + tok + " needs a number");
                }
                if (opt.equals("-s")) {
                    scale = new float[] {v[0], n > 1 ? v[1] : 1f};
                } else if (opt.equals("-o")) {
                    offset = new float[] {v[0], n > 1 ? v[1] : 0f};
                }
            } else {
                for (int k = 0; k < args; k++) {
                    if (!t.next()) {
                        throw t.bad("texture option " + tok + " needs " + args + " value(s)");
                    }
                    switch (opt) {
                        case "-bm" -> bm = (float) t.number("a bump multiplier");
                        case "-clamp" -> clamp = t.tokenIsIgnoreCase("on");
                        case "-imfchan" -> channel = (char) (t.firstByte() | 0x20);
                        default -> { }
                    }
                }
            }
        }
        return null;
    }

    /** Advances to the next token when it is a number; otherwise leaves the cursor before it. */
    private static boolean peekNumber(ObjText t) {
        int saveTs = t.ts;
        int saveTe = t.te;
        int mark = t.mark();
        if (t.next() && t.tokenIsNumber()) {
            return true;
        }
        t.reset(mark, saveTs, saveTe);
        return false;
    }
}
