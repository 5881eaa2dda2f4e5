package io.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice version}: prints {@code Sluice <version>} and the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Print the Sluice version.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("Sluice " + Version.get() + " (Java " + Runtime.version() + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
