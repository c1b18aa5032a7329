// The `meshforge` command: dispatches to one subcommand a tool and turns failures into one-line messages.
package dev.meshforge.cli;

import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.scene.Scene;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.File;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point of the command line. Exit codes: 0 success, 1 a problem with the input (one line naming the file and
 * the defect), 2 wrong usage, 3 an internal error (one line naming the crash report written; {@code --debug}
 * prints the stack trace too).
 */
@Command(name = "meshforge", addMethodSubcommands = false,
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "3D mesh processing: inspect, convert, repair, hollow, optimize, render.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order the help lists them. Only the one a command line names is built (picocli builds
     * a command's model by reflection, a large share of a short run's start-up); {@code --version} gets none, help and
     * unknown names get all. Every {@code @Command} here says {@code addMethodSubcommands = false}: picocli would
     * otherwise read the annotations of every method of each command class, looking for subcommands written as
     * methods, which this command line has none of.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(InspectCommand.class, ConvertCommand.class,
            RepairCommand.class, ScaleCommand.class, SimplifyCommand.class, HollowCommand.class, PrintCommand.class,
            RenderCommand.class, OptimizeCommand.class, ServeCommand.class, KeysCommand.class, CreditsCommand.class,
            AotTrainingCommand.class, CommandLine.HelpCommand.class);

    static {
        // No command here is written in Groovy: without this, picocli's default factory looks for groovy.lang.Closure
        // when it is first used, a Class.forName that fails only after searching every jar of the class path (about
        // 4 % of the CPU of an in-process `inspect` of a cube).
        System.setProperty("picocli.disable.closures", "true");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // One command, one caller's files: a buffer a closed scene left for reuse is not zeroed again for the next
        // where its reader writes it whole (`serve` and any other process keep zeroing it).
        Scene.zeroReusedBuffersUnlessSet(false);
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (used by tests and by main). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * Runs the command line for a caller other than this process (the daemon's client), printing to its stdout and
     * stderr, and returns the exit code.
     */
    static int run(Caller caller, Writer out, Writer err, String... args) {
        CommandLine cl = commandLine(caller, args);
        cl.setOut(new PrintWriter(caller.shown(out), true));
        cl.setErr(new PrintWriter(caller.shown(err), true));
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    /** The command line with its failure handling, before it runs (tests add commands to it). */
    static CommandLine commandLine(String... args) {
        return commandLine(Caller.LOCAL, args);
    }

    private static CommandLine commandLine(Caller caller, String... args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = defaults.create(cls);
                if (made instanceof ToolCommand tool) {
                    tool.caller = caller;
                }
                return made;
            }
        });
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(first) && c != CommandLine.HelpCommand.class)
                .toList();
        boolean version = args.length == 1 && (first.equals("--version") || first.equals("-V"));
        for (Class<?> c : version ? List.<Class<?>>of() : named.isEmpty() ? SUBCOMMANDS : named) {
            cl.addSubcommand(c);
        }
        if (caller.cwd() != null) { // picocli's own converters resolve against the JVM's directory
            cl.registerConverter(Path.class, caller::resolve);
            cl.registerConverter(File.class, typed -> caller.resolve(typed).toFile());
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MeshforgeException) {
                cmd.getErr().println("meshforge: " + e.getMessage());
                return 1;
            }
            Path report = CrashReport.write(e, args);
            cmd.getErr().println("meshforge: internal error (" + e.getClass().getSimpleName() + "); "
                    + (report != null ? "details are in " + report : "no crash report could be written")
                    + "; please report it");
            if (cmd.getCommand() instanceof ToolCommand tool && tool.common.debug) {
                e.printStackTrace(cmd.getErr());
            }
            return 3;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
