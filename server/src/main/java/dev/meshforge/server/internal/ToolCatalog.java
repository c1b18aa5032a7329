// The tools the API offers: each one's options (parsed strictly), its cost and how a worker runs it.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.ops.Convert;
import dev.meshforge.core.ops.Hollow;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.ops.LengthUnit;
import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.ops.Scale;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.RenderOptions;
import dev.meshforge.render.RenderResult;
import dev.meshforge.render.RenderedView;
import dev.meshforge.render.View;
import dev.meshforge.server.ServerConfig.Costs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Options arrive as JSON members named as the command line names them in snake_case. A member the tool does not
 * know is refused with 400 naming it (as peers do), never ignored: a misspelt {@code qualty} must not silently run
 * at the default. Every model a task writes gets a thumbnail (see {@link Thumbnails}).
 */
public final class ToolCatalog {
    /** What running a tool left: its report, warnings, and the files to offer (in the output folder). */
    public record Outcome(Map<String, Object> report, List<String> warnings, List<Path> files) {
    }

    public static final List<String> TOOLS = List.of("convert", "repair", "inspect", "scale", "render", "hollow");

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "convert", Set.of("output_format", "ascii"),
            "repair", Set.of("quality", "target_triangles", "keep_small_parts", "output_format", "ascii",
                    "target_height", "unit", "hollow", "wall_thickness"),
            "inspect", Set.of("intersections"),
            "scale", Set.of("target_height", "target_width", "target_depth", "target_longest", "unit", "source_unit",
                    "origin", "output_format", "ascii"),
            "render", Set.of("views", "size"),
            "hollow", Set.of("wall_thickness", "unit", "holes", "hole_diameter", "vents", "quality", "output_format",
                    "ascii"));
    /** Puts {@code wall_thickness} and {@code unit}; without a wall, the Hollow tool's default (2 mm) in that unit. */
    private static void putWall(JsonNode options, ObjectNode out) {
        Double given = options.has("wall_thickness") ? length(options, "wall_thickness") : null;
        String unit = unit(options, "unit", "mm");
        Hollow.Options d = Hollow.Options.DEFAULTS;
        double defaultWall = d.wall() * d.unit().metres() / LengthUnit.parse(unit).metres();
        out.put("wall_thickness", given != null ? given : defaultWall);
        out.put("unit", unit);
    }
    private static final List<String> SCALE_TARGETS = List.of("target_height", "target_width", "target_depth",
            "target_longest");

    private final Costs costs;
    private final Thumbnails thumbnails;

    public ToolCatalog(Costs costs, Thumbnails thumbnails) {
        this.costs = costs;
        this.thumbnails = thumbnails;
    }

    public static boolean known(String tool) {
        return OPTIONS.containsKey(tool);
    }

    /**
     * Checks a tool's options and gives them back normalised (defaults filled in), ready to store with the task.
     *
     * @throws ApiProblem 400 naming the first member at fault
     */
    public ObjectNode parse(String tool, JsonNode options) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (options == null || options.isNull() || options.isMissingNode()) {
            options = Json.MAPPER.createObjectNode();
        }
        if (!options.isObject()) {
            throw ApiProblem.badRequest("invalid_options", "options must be a JSON object");
        }
        Set<String> allowed = OPTIONS.get(tool);
        for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiProblem.badRequest("unknown_option", "'" + name + "' is not an option of " + tool
                        + "; its options are " + String.join(", ", allowed.stream().sorted().toList()))
                        .with("field", name);
            }
        }
        switch (tool) {
            case "convert" -> {
                out.put("output_format", outputFormat(options, "glb"));
                out.put("ascii", bool(options, "ascii", false));
            }
            case "repair" -> {
                out.put("quality", quality(options));
                JsonNode t = options.get("target_triangles");
                long target = 0;
                if (t != null) {
                    if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() < 0) {
                        throw ApiProblem.badRequest("invalid_option", "target_triangles must be a whole number "
                                + "of 0 or more").with("field", "target_triangles");
                    }
                    target = t.asLong();
                }
                out.put("target_triangles", target);
                out.put("keep_small_parts", bool(options, "keep_small_parts", false));
                out.put("output_format", outputFormat(options, "glb"));
                out.put("ascii", bool(options, "ascii", false));
                if (options.has("target_height")) {
                    out.put("target_height", length(options, "target_height"));
                    out.put("unit", unit(options, "unit", "mm"));
                } else if (options.has("unit") && !options.has("wall_thickness")) {
                    throw ApiProblem.badRequest("invalid_option", "unit goes with target_height or "
                            + "wall_thickness").with("field", "unit");
                }
                boolean hollow = bool(options, "hollow", false);
                if (options.has("wall_thickness") && !hollow) {
                    throw ApiProblem.badRequest("invalid_option", "wall_thickness goes with hollow: true")
                            .with("field", "wall_thickness");
                }
                out.put("hollow", hollow);
                if (hollow) {
                    putWall(options, out);
                }
            }
            case "inspect" -> out.put("intersections", bool(options, "intersections", true));
            case "scale" -> {
                List<String> given = SCALE_TARGETS.stream().filter(options::has).toList();
                if (given.size() > 1) {
                    throw ApiProblem.badRequest("invalid_option", "give one of " + String.join(", ", SCALE_TARGETS)
                            + ", not " + String.join(" and ", given)).with("field", given.get(1));
                }
                String origin = text(options, "origin", "keep").toLowerCase(Locale.ROOT);
                if (!Set.of("keep", "bottom_center").contains(origin)) {
                    throw ApiProblem.badRequest("invalid_option", "origin must be keep or bottom_center, not '"
                            + origin + "'").with("field", "origin");
                }
                if (given.isEmpty() && origin.equals("keep")) {
                    throw ApiProblem.badRequest("missing_option", "scale needs a target length (one of "
                            + String.join(", ", SCALE_TARGETS) + ") or origin bottom_center")
                            .with("field", "target_height");
                }
                out.put("dimension", given.isEmpty() ? "height" : given.get(0).substring("target_".length()));
                out.put("target", given.isEmpty() ? 0 : length(options, given.get(0)));
                out.put("unit", unit(options, "unit", "mm"));
                if (options.has("source_unit")) {
                    out.put("source_unit", unit(options, "source_unit", "mm"));
                }
                out.put("origin", origin);
                out.put("output_format", outputFormat(options, "glb"));
                out.put("ascii", bool(options, "ascii", false));
            }
            case "render" -> {
                JsonNode v = options.get("views");
                String names = v == null ? "three_quarter" : v.isTextual() ? v.asText() : null;
                if (v != null && v.isArray()) {
                    List<String> list = new ArrayList<>();
                    v.forEach(n -> list.add(n.isTextual() ? n.asText() : "?"));
                    names = String.join(",", list);
                }
                if (names == null) {
                    throw ApiProblem.badRequest("invalid_option", "views must be a list of view names or one "
                            + "comma-separated string").with("field", "views");
                }
                List<View> views;
                try {
                    views = View.parse(names);
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("invalid_option", e.getMessage()).with("field", "views");
                }
                if (views.stream().map(View::name).distinct().count() != views.size()) {
                    throw ApiProblem.badRequest("invalid_option", "a view is named twice").with("field", "views");
                }
                out.put("views", String.join(",", views.stream().map(View::name).toList()));
                JsonNode size = options.get("size");
                if (size != null && (!size.isIntegralNumber() || size.asInt() < RenderOptions.MIN_SIZE
                        || size.asInt() > MAX_RENDER)) {
                    throw ApiProblem.badRequest("invalid_option", "size must be a whole number of pixels from "
                            + RenderOptions.MIN_SIZE + " to " + MAX_RENDER).with("field", "size");
                }
                out.put("size", size == null ? 1024 : size.asInt());
            }
            case "hollow" -> {
                putWall(options, out);
                if (options.has("hole_diameter")) {
                    out.put("hole_diameter", length(options, "hole_diameter"));
                }
                String holes = text(options, "holes", "auto").toLowerCase(Locale.ROOT);
                if (!Set.of("auto", "none").contains(holes)) {
                    throw ApiProblem.badRequest("invalid_option", "holes must be auto or none, not '" + holes + "'")
                            .with("field", "holes");
                }
                out.put("holes", holes);
                out.put("vents", bool(options, "vents", false));
                out.put("quality", quality(options));
                out.put("output_format", outputFormat(options, "stl"));
                out.put("ascii", bool(options, "ascii", false));
            }
            default -> throw new IllegalArgumentException(tool);
        }
        return out;
    }

    private static String quality(JsonNode options) {
        String quality = text(options, "quality", "default").toLowerCase(Locale.ROOT);
        if (!Set.of("low", "default", "max").contains(quality)) {
            throw ApiProblem.badRequest("invalid_option", "quality must be low, default or max, not '"
                    + quality + "'").with("field", "quality");
        }
        return quality;
    }

    /** Credits the task costs, from its parsed options. */
    public long cost(String tool, JsonNode parsed) {
        return switch (tool) {
            case "convert" -> costs.convert();
            case "inspect" -> costs.inspect();
            case "repair" -> parsed.get("hollow").asBoolean() ? costs.repairHollow() : costs.repair();
            case "scale" -> costs.scale();
            case "hollow" -> costs.hollow();
            // Per image, as peers charge.
            case "render" -> costs.render() * parsed.get("views").asText().split(",").length;
            default -> throw new IllegalArgumentException(tool);
        };
    }

    /** The largest render an API task may ask for, pixels a side (the renderer itself goes to 4096). */
    public static final int MAX_RENDER = 2048;

    /** Runs the tool on a scene read by the worker; output files go to {@code outDir}, named after the input. */
    public Outcome run(String tool, JsonNode options, Scene scene, String baseName, Path outDir, RunControl control) {
        List<String> warnings = new ArrayList<>(scene.warnings());
        switch (tool) {
            case "inspect" -> {
                try (ToolResult<?> r = Inspect.TOOL.run(scene,
                        new Inspect.Options(options.get("intersections").asBoolean()), control)) {
                    warnings.addAll(r.warnings());
                    return new Outcome(clientMap(r), warnings, List.of());
                }
            }
            case "convert" -> {
                ToolResult<Convert.Report> w = write(scene, options, baseName, outDir, control);
                warnings.addAll(w.warnings());
                thumbnail(scene, w, warnings);
                return new Outcome(clientMap(w), warnings, w.files());
            }
            case "repair" -> {
                Repair.Options o = Repair.Options.DEFAULTS
                        .withQuality(Repair.Quality.valueOf(options.get("quality").asText().toUpperCase(Locale.ROOT)))
                        .withTargetTriangles(options.get("target_triangles").asLong())
                        .withKeepSmallParts(options.get("keep_small_parts").asBoolean());
                try (ToolResult<Repair.Report> r = Repair.TOOL.run(scene, o, control)) {
                    warnings.addAll(r.warnings());
                    Scene repaired = r.scene() != null ? r.scene() : scene;
                    Map<String, Object> report = clientMap(r);
                    if (!options.has("target_height")) {
                        return hollowed(repaired, options, baseName, outDir, report, warnings, control);
                    }
                    // Sized after the repair, so that the height is the repaired model's, and before hollowing,
                    // so that the wall is as thick as asked in the printed size.
                    try (ToolResult<Scale.Report> sized = Scale.TOOL.run(repaired, Scale.Options.height(
                            options.get("target_height").asDouble(), LengthUnit.parse(options.get("unit").asText())),
                            RunControl.DEFAULTS)) {
                        warnings.addAll(sized.warnings());
                        report.put("scale", clientMap(sized));
                        return hollowed(sized.scene(), options, baseName, outDir, report, warnings, control);
                    }
                }
            }
            case "scale" -> {
                Scale.Options o = new Scale.Options(Scale.Dimension.valueOf(options.get("dimension").asText()
                        .toUpperCase(Locale.ROOT)), options.get("target").asDouble(),
                        LengthUnit.parse(options.get("unit").asText()), options.has("source_unit")
                        ? LengthUnit.parse(options.get("source_unit").asText()) : null,
                        options.get("origin").asText().equals("keep") ? Scale.Origin.KEEP : Scale.Origin.BOTTOM_CENTER,
                        null);
                try (ToolResult<Scale.Report> r = Scale.TOOL.run(scene, o, control)) {
                    warnings.addAll(r.warnings());
                    return written(r.scene(), options, baseName, outDir, clientMap(r), warnings);
                }
            }
            case "hollow" -> {
                Hollow.Options o = Hollow.Options.wall(options.get("wall_thickness").asDouble(),
                                LengthUnit.parse(options.get("unit").asText()))
                        .withHoles(Hollow.Holes.valueOf(options.get("holes").asText().toUpperCase(Locale.ROOT)))
                        .withVents(options.get("vents").asBoolean())
                        .withQuality(Hollow.Quality.valueOf(options.get("quality").asText().toUpperCase(Locale.ROOT)));
                if (options.has("hole_diameter")) {
                    o = o.withHoleDiameter(options.get("hole_diameter").asDouble());
                }
                try (ToolResult<Hollow.Report> r = Hollow.TOOL.run(scene, o, control)) {
                    warnings.addAll(r.warnings());
                    return written(r.scene(), options, baseName, outDir, clientMap(r), warnings);
                }
            }
            case "render" -> {
                RenderOptions o = RenderOptions.DEFAULTS.withViews(View.parse(options.get("views").asText()))
                        .withSize(options.get("size").asInt(), options.get("size").asInt())
                        .withOutput(outDir, false).withProgress(control.progress());
                RenderResult r = thumbnails.renderer().render(scene, o);
                warnings.addAll(r.warnings());
                List<Path> files = new ArrayList<>();
                for (RenderedView v : r.views()) {
                    Path named = outDir.resolve(baseName + "_" + v.view().name() + ".png");
                    try {
                        files.add(Files.move(v.file(), named));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("views", r.views().stream().map(v -> v.view().name()).toList());
                report.put("size", options.get("size").asInt());
                report.put("renderer", r.renderer());
                return new Outcome(report, warnings, files);
            }
            default -> throw new IllegalArgumentException(tool);
        }
    }

    /** Hollows a repaired (and sized) scene when the repair asked for it, then writes it. */
    private Outcome hollowed(Scene solid, JsonNode options, String baseName, Path outDir, Map<String, Object> report,
                             List<String> warnings, RunControl control) {
        if (!options.get("hollow").asBoolean()) {
            return written(solid, options, baseName, outDir, report, warnings);
        }
        Hollow.Options o = Hollow.Options.wall(options.get("wall_thickness").asDouble(),
                LengthUnit.parse(options.get("unit").asText()));
        try (ToolResult<Hollow.Report> h = Hollow.TOOL.run(solid, o, control)) {
            warnings.addAll(h.warnings());
            report.put("hollow", clientMap(h));
            return written(h.scene(), options, baseName, outDir, report, warnings);
        }
    }

    /** Writes a tool's output scene with its thumbnail. */
    private Outcome written(Scene result, JsonNode options, String baseName, Path outDir, Map<String, Object> report,
                            List<String> warnings) {
        ToolResult<Convert.Report> w = write(result, options, baseName, outDir, RunControl.DEFAULTS);
        warnings.addAll(w.warnings());
        thumbnail(result, w, warnings);
        return new Outcome(report, warnings, w.files());
    }

    private void thumbnail(Scene scene, ToolResult<Convert.Report> written, List<String> warnings) {
        if (!written.files().isEmpty()) {
            Path model = written.files().get(0);
            thumbnails.render(scene, model.getParent(), model.getFileName().toString(), warnings);
        }
    }

    private static ToolResult<Convert.Report> write(Scene scene, JsonNode options, String baseName, Path outDir,
                                                    RunControl control) {
        Format format = Format.parseOutput(options.get("output_format").asText());
        String ext = switch (format) {
            case OBJ_ZIP -> "obj.zip";
            case FBX_ZIP -> "fbx.zip";
            default -> format.extension();
        };
        Path out = outDir.resolve(baseName + "." + ext);
        return Convert.TOOL.run(scene, new Convert.Options(out, format,
                new WriteOptions(options.get("ascii").asBoolean()).inPlace()), control);
    }

    /** The report's figures without the server's own paths, which are no business of the client. */
    private static Map<String, Object> clientMap(ToolResult<?> r) {
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.remove("files");
        m.remove("output");
        m.remove("warnings");
        return m;
    }

    private static String outputFormat(JsonNode options, String fallback) {
        String name = text(options, "output_format", fallback);
        try {
            return Format.parseOutput(name).id();
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("invalid_option", "output_format must be one of "
                    + String.join(", ", Format.outputNames()) + ", not '" + name + "'").with("field", "output_format");
        }
    }

    private static double length(JsonNode options, String name) {
        JsonNode v = options.get(name);
        if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw ApiProblem.badRequest("invalid_option", name + " must be a positive number").with("field", name);
        }
        return v.asDouble();
    }

    private static String unit(JsonNode options, String name, String fallback) {
        String u = text(options, name, fallback);
        try {
            return LengthUnit.parse(u).toString();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid_option", name + ": " + e.getMessage()).with("field", name);
        }
    }

    private static String text(JsonNode options, String name, String fallback) {
        JsonNode v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiProblem.badRequest("invalid_option", name + " must be a string").with("field", name);
        }
        return v.asText();
    }

    private static boolean bool(JsonNode options, String name, boolean fallback) {
        JsonNode v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiProblem.badRequest("invalid_option", name + " must be true or false").with("field", name);
        }
        return v.asBoolean();
    }
}
