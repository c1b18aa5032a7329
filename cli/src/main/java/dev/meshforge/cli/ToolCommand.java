// The one shape of every tool command: read IN, run the tool with a progress bar, write OUT, print the report.
package dev.meshforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshforge.core.BadInputException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.ops.Cancellation;
import dev.meshforge.core.ops.Convert;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.WriteOptions;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A tool command reads its input (reader warnings on stderr), runs its tool under a progress bar (drawn only on a
 * terminal, never with {@code --quiet} or {@code --json}), writes the output scene to OUT through
 * {@link Convert} where the tool makes one, then prints the report: text on stdout, or with {@code --json} one
 * JSON object (the report's figures, the warnings, the seconds). Failures: a {@link dev.meshforge.core.MeshforgeException}
 * is one line naming the input and exits 1 (see {@link Main}); a usage error exits 2.
 */
abstract class ToolCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    /** Who typed the command (set by {@link Main}'s factory). */
    Caller caller = Caller.LOCAL;

    /** The model file read. */
    abstract Path input();

    /** Where the output scene is written, or null for a tool whose output is its report or its own files. */
    Path output() {
        return null;
    }

    /** The output format: by default the one OUT's extension names. */
    Format outputFormat() {
        return Format.forOutput(output());
    }

    WriteOptions writeOptions() {
        return WriteOptions.DEFAULTS;
    }

    /** Writes the output scene to OUT in {@code format} through Convert; null where a command wrote it otherwise. */
    ToolResult<Convert.Report> write(Scene scene, Format format) throws Exception {
        return Convert.run(scene, new Convert.Options(output(), format, writeOptions()));
    }

    /** Checks the options before anything is read (throw picocli's ParameterException for usage errors). */
    void validate() {
    }

    /** Runs the tool on the scene read from {@link #input()}. */
    abstract ToolResult<?> run(Scene scene, RunControl control);

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Format format = output() == null ? null : outputFormat();
        boolean bar = !common.quiet && !common.json && caller.interactive();
        try (Scene scene = Formats.read(input());
             ProgressBar progress = new ProgressBar(err, bar)) {
            warn(err, scene.warnings());
            // Nothing draws and nothing prints the stages (--json does): a run the user stops by stopping the process,
            // whose kernel calls then need no progress callback.
            // A daemon's call has a cancellation set when its client goes away, checked at every progress step.
            Cancellation cancel = caller.cancellation() != Cancellation.NEVER ? caller.cancellation()
                    : new Cancellation();
            RunControl control = bar || common.json ? new RunControl(progress, cancel, Limits.NONE)
                    : new RunControl(ProgressListener.NONE, caller.cancellation(), Limits.NONE);
            try (ToolResult<?> result = runNamingInput(scene, control)) {
                progress.close();
                warn(err, result.warnings());
                ToolResult<Convert.Report> written = null;
                if (output() != null && result.scene() != null) {
                    written = write(result.scene(), format);
                    if (written != null) {
                        warn(err, written.warnings());
                    }
                }
                print(out, result, written);
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    /** Kernel and tool refusals of the input speak of "it": name the file, so that the one line says which. */
    private ToolResult<?> runNamingInput(Scene scene, RunControl control) {
        try {
            return run(scene, control);
        } catch (BadInputException e) {
            throw e.file() != null ? e : new BadInputException(input(), e.getMessage(), e);
        } catch (KernelException e) {
            if (e.status() != KernelException.INVALID_ARGUMENT) {
                throw e;
            }
            throw new BadInputException(input(), e.getMessage(), e);
        }
    }

    private void print(PrintWriter out, ToolResult<?> result, ToolResult<Convert.Report> written) throws Exception {
        if (common.json) {
            Map<String, Object> map = result.toMap();
            if (written != null) {
                map.put("output", written.report().toMap());
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(map));
            return;
        }
        if (common.quiet) {
            return;
        }
        out.println(output() == null ? input().toString() : input() + " -> " + output());
        for (String line : result.report().toText()) {
            out.println("  " + line);
        }
        out.printf(Locale.ROOT, "  time: %.2f s%n", result.timings().seconds());
    }

    private static void warn(PrintWriter err, Iterable<String> warnings) {
        for (String w : warnings) {
            err.println("warning: " + w);
        }
    }
}
