// What one optimize step did: triangles, vertices and bytes before and after, and what it changed by name.
package dev.meshforge.core.optimize;

import dev.meshforge.core.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * @param step    the step's name (dedup, prune, merge, weld, simplify, reorder, textures, quantize, compress)
 * @param before  triangles, vertices and bytes before the step
 * @param after   the same after it
 * @param changes what it merged, removed, dropped or kept as it was, one line each, by name
 */
public record StepReport(String step, SceneSize before, SceneSize after, List<String> changes) implements Report {
    public StepReport {
        changes = List.copyOf(changes);
    }

    @Override
    public List<String> toText() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-9s triangles %d -> %d, vertices %d -> %d, bytes %d -> %d", step,
                before.triangles(), after.triangles(), before.vertices(), after.vertices(), before.bytes(),
                after.bytes()));
        changes.forEach(c -> lines.add("  " + c));
        return lines;
    }
}
