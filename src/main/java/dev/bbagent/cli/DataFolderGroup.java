package dev.bbagent.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * A command group that works on the data folder ({@code jobs}, {@code runs}): its subcommands inherit
 * {@code --data-dir}, and the group alone prints its usage.
 */
abstract class DataFolderGroup implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Data folder. Env BBAGENT_DATA_DIR; default ./data.")
    String dataDir;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
