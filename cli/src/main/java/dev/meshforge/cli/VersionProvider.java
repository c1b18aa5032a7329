// Answers --version with the CLI's and the native kernel's versions.
package dev.meshforge.cli;

import dev.meshforge.core.kernel.Kernel;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String cli = Main.class.getPackage().getImplementationVersion();
        return new String[] {"meshforge " + (cli == null ? "(development build)" : cli),
                "kernel " + Kernel.version(), "Java " + Runtime.version()};
    }
}
