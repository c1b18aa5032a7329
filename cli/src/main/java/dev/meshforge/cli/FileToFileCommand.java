// A tool command that reads IN and writes its output scene (or its own file) to OUT.
package dev.meshforge.cli;

import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** IN and OUT for every tool that makes a model: convert, repair, and the tools to come. */
abstract class FileToFileCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "IN", description = "input model")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "output file; its extension names the format")
    Path out;

    @Override
    final Path input() {
        return in;
    }

    @Override
    final Path output() {
        return out;
    }
}
