// `meshforge credits`: an operator's grants of credits, and an account's balance.
package dev.meshforge.cli;

import dev.meshforge.server.Administration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A grant is one credit lot, expiring 365 days from now, and one ledger row. */
@Command(name = "credits", addMethodSubcommands = false,
        description = "Grant credits to an account of the HTTP API, or show its balance.",
        subcommands = {CreditsCommand.Grant.class, CreditsCommand.Balance.class})
final class CreditsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "grant", addMethodSubcommands = false,
            description = "Add N credits to ACCOUNT (they expire in 365 days); prints the balance.")
    static final class Grant implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectory data = new DataDirectory();

        @Parameters(index = "0", paramLabel = "ACCOUNT")
        String account;

        @Parameters(index = "1", paramLabel = "N")
        long amount;

        @Override
        public Integer call() {
            if (amount <= 0) {
                throw new ParameterException(spec.commandLine(), "N must be a positive number of credits");
            }
            long balance;
            try (Administration a = data.administration(spec)) {
                balance = a.grant(account, amount);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            spec.commandLine().getOut().println(balance);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "balance", addMethodSubcommands = false,
            description = "Print ACCOUNT's balance of credits that have not expired.")
    static final class Balance implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectory data = new DataDirectory();

        @Parameters(index = "0", paramLabel = "ACCOUNT")
        String account;

        @Override
        public Integer call() {
            try (Administration a = data.administration(spec)) {
                spec.commandLine().getOut().println(a.balance(account));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
