// The inspect tool: a whole scene measured by the kernel, all placements merged in world space.
package dev.meshforge.core.ops;

import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.InspectOptions;
import dev.meshforge.core.kernel.Kernel;
import dev.meshforge.core.scene.Scene;

import java.lang.foreign.Arena;
import java.util.List;

/** Holes, open and non-manifold edges, orientation, degenerate and duplicate faces, parts, intersections, volume. */
public final class Inspect implements Tool<Inspect.Options, MeshReport> {
    /** @param intersections search for intersecting triangle pairs (the costly part; reported as 0 when off) */
    public record Options(boolean intersections) {
        public static final Options DEFAULTS = new Options(true);
    }

    public static final Inspect TOOL = new Inspect();

    private Inspect() {
    }

    @Override
    public String name() {
        return "inspect";
    }

    /** The report alone, with the default options and no limits. */
    public static MeshReport report(Scene scene) {
        return TOOL.run(scene, Options.DEFAULTS, RunControl.DEFAULTS).report();
    }

    @Override
    public ToolResult<MeshReport> run(Scene input, Options options, RunControl control) {
        StageClock clock = new StageClock(name(), control);
        clock.checkpoint(0, "gather");
        MeshReport report;
        try (Arena scratch = Arena.ofConfined()) {
            report = Kernel.inspect(input.worldTriangles(scratch), new InspectOptions(options.intersections(),
                    clock.span(0.05, 1), clock.maxMemoryBytes(), clock.remaining()));
        }
        return new ToolResult<>(null, false, List.of(), report, List.of(), clock.finish());
    }
}
