package dev.bbagent.cli;

import dev.bbagent.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bbagent demo}: the whole flow in one process, no key, no network. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole flow once in this process, with no key and no network: a fake Bitbucket",
                "opens a pull request, delivers the webhook, the shipped rule runs the agent (a scripted model),",
                "and the review comment it posts is printed with the run's transcript."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Default: config/rules.yaml, else the copy in the jar.")
    Path rules;

    @Option(names = "--verbose", description = "Show bbagent's log while the demo runs.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!verbose && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        return new Demo(spec.commandLine().getOut()).run(rules == null ? Path.of("config/rules.yaml") : rules);
    }
}
