// The contract every tool keeps: a scene and options in, a result out; progress, cancellation and limits in.
package dev.meshforge.core.ops;

import dev.meshforge.core.Report;
import dev.meshforge.core.scene.Scene;

/**
 * One tool (convert, inspect, repair, ...). A tool never changes its input scene: what it makes is a new scene
 * (or files), returned in the {@link ToolResult} with its report, its warnings and its timings. It reports
 * progress through {@link RunControl#progress()}, stops when cancelled ({@link dev.meshforge.core.CancelledException})
 * or past its time limit ({@link dev.meshforge.core.LimitExceededException}), and passes the memory and time
 * limits to every kernel call.
 *
 * @param <O> the tool's options record
 * @param <R> the tool's report record
 */
public interface Tool<O, R extends Report> {
    /** The tool's name as the command line and the server know it, e.g. "repair". */
    String name();

    ToolResult<R> run(Scene input, O options, RunControl control);
}
