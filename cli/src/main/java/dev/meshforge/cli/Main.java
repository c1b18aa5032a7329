// The `meshforge` command: dispatches to one subcommand a tool and turns failures into one-line messages.
package dev.meshforge.cli;

import dev.meshforge.core.MeshforgeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the command line. Exit codes: 0 success, 1 failure on the input, 2 wrong usage. */
@Command(name = "meshforge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "3D mesh processing: inspect, convert, repair, hollow, optimize, render.",
        subcommands = {InspectCommand.class, ConvertCommand.class, RepairCommand.class, RenderCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (used by tests and by main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MeshforgeException) {
                cmd.getErr().println("meshforge: " + e.getMessage());
                return 1;
            }
            cmd.getErr().println("meshforge: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return 3;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
