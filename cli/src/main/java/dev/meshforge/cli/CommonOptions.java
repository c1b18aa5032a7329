// The options every tool command has: how it reports (JSON or text, progress or quiet) and how it fails.
package dev.meshforge.cli;

import picocli.CommandLine.Option;

/** Mixed into every tool command. */
final class CommonOptions {
    @Option(names = "--json", description = "print the report as one JSON object on stdout")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar and no report text (warnings and errors still "
            + "go to stderr; --json still prints)")
    boolean quiet;

    @Option(names = "--debug", description = "on an internal error, print the stack trace too")
    boolean debug;
}
