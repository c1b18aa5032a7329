// The tools the API offers: each one's options (parsed strictly), its cost and how a worker runs it.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshforge.core.ops.Convert;
import dev.meshforge.core.ops.Inspect;
import dev.meshforge.core.ops.Repair;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.server.ServerConfig.Costs;

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
 * at the default. Members the issue plans but the engine has no tool for yet (hollowing, scaling to a height) are
 * refused with their own code, so that a client can tell "not yet" from "never".
 */
public final class ToolCatalog {
    /** What running a tool left: its report, warnings, and the files to offer (in the output folder). */
    public record Outcome(Map<String, Object> report, List<String> warnings, List<Path> files) {
    }

    public static final List<String> TOOLS = List.of("convert", "repair", "inspect");

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "convert", Set.of("output_format", "ascii"),
            "repair", Set.of("quality", "target_triangles", "keep_small_parts", "output_format", "ascii"),
            "inspect", Set.of("intersections"));
    private static final Set<String> PLANNED = Set.of("hollow", "wall_thickness", "target_height", "unit");

    private final Costs costs;

    public ToolCatalog(Costs costs) {
        this.costs = costs;
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
            if (tool.equals("repair") && PLANNED.contains(name)) {
                throw ApiProblem.badRequest("option_not_available", "the repair option '" + name + "' is not "
                        + "available yet; leave it out").with("field", name);
            }
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
                String quality = text(options, "quality", "default").toLowerCase(Locale.ROOT);
                if (!Set.of("low", "default", "max").contains(quality)) {
                    throw ApiProblem.badRequest("invalid_option", "quality must be low, default or max, not '"
                            + quality + "'").with("field", "quality");
                }
                out.put("quality", quality);
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
            }
            case "inspect" -> out.put("intersections", bool(options, "intersections", true));
            default -> throw new IllegalArgumentException(tool);
        }
        return out;
    }

    /** Credits the task costs, from its parsed options. */
    public long cost(String tool, JsonNode parsed) {
        return switch (tool) {
            case "convert" -> costs.convert();
            case "inspect" -> costs.inspect();
            case "repair" -> costs.repair();
            default -> throw new IllegalArgumentException(tool);
        };
    }

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
                return new Outcome(clientMap(w), warnings, w.files());
            }
            case "repair" -> {
                Repair.Options o = Repair.Options.DEFAULTS
                        .withQuality(Repair.Quality.valueOf(options.get("quality").asText().toUpperCase(Locale.ROOT)))
                        .withTargetTriangles(options.get("target_triangles").asLong())
                        .withKeepSmallParts(options.get("keep_small_parts").asBoolean());
                try (ToolResult<Repair.Report> r = Repair.TOOL.run(scene, o, control)) {
                    warnings.addAll(r.warnings());
                    Scene result = r.scene() != null ? r.scene() : scene;
                    ToolResult<Convert.Report> w = write(result, options, baseName, outDir, RunControl.DEFAULTS);
                    warnings.addAll(w.warnings());
                    return new Outcome(clientMap(r), warnings, w.files());
                }
            }
            default -> throw new IllegalArgumentException(tool);
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
                new WriteOptions(options.get("ascii").asBoolean())), control);
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
