// What a tool run returns: its output, its report, its warnings and its timings.
package dev.meshforge.core.ops;

import dev.meshforge.core.Report;
import dev.meshforge.core.scene.Scene;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@link Tool} run. Closing it closes the output scene unless that is the input itself (a
 * tool that had nothing to change returns its input).
 *
 * @param <R> the tool's report record
 */
public final class ToolResult<R extends Report> implements AutoCloseable {
    private final Scene scene;
    private final boolean ownsScene;
    private final List<Path> files;
    private final R report;
    private final List<String> warnings;
    private final Timings timings;

    /**
     * @param scene     the output scene, or null for tools whose output is files or the report alone
     * @param ownsScene whether closing this result closes {@code scene} (false when it is the input)
     * @param files     files the tool wrote (convert, render), in order
     */
    public ToolResult(Scene scene, boolean ownsScene, List<Path> files, R report, List<String> warnings,
                      Timings timings) {
        this.scene = scene;
        this.ownsScene = ownsScene;
        this.files = List.copyOf(files);
        this.report = java.util.Objects.requireNonNull(report, "report");
        this.warnings = List.copyOf(warnings);
        this.timings = java.util.Objects.requireNonNull(timings, "timings");
    }

    /** The output scene, or null. */
    public Scene scene() {
        return scene;
    }

    public List<Path> files() {
        return files;
    }

    public R report() {
        return report;
    }

    /** What the tool could not carry over or had to guess, one sentence each. */
    public List<String> warnings() {
        return warnings;
    }

    public Timings timings() {
        return timings;
    }

    /** The report's figures, then {@code warnings} and {@code seconds} (and {@code files} where there are any). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(report.toMap());
        if (!files.isEmpty()) {
            m.put("files", Report.plain(files));
        }
        m.put("warnings", warnings);
        m.put("seconds", timings.seconds());
        m.put("stage_seconds", timings.stages());
        return m;
    }

    @Override
    public void close() {
        if (ownsScene && scene != null) {
            scene.close();
        }
    }
}
