package dev.bbagent.cli;

import dev.bbagent.metrics.Metrics;
import dev.bbagent.rules.RulesException;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.webhook.Replay;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bbagent replay DELIVERY}: match a stored delivery against the current rules again and queue jobs. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Match a stored delivery against the current rules again and queue new jobs for it.")
final class ReplayCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DELIVERY", description = "The delivery id (X-Request-UUID / X-Request-Id).")
    String delivery;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder. Env BBAGENT_DATA_DIR; default ./data.")
    String dataDir;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Env BBAGENT_RULES; default config/rules.yaml.")
    String rules;

    @Override
    public Integer call() {
        try (DataFolder data = DataFolder.open(dataDir); Metrics metrics = new Metrics()) {
            RulesRuntime runtime;
            try {
                runtime = new RulesRuntime(Path.of(Cli.rulesFile(rules)), System.getenv(), metrics,
                        r -> data.store.saveRuleVersion(r.version(), r.text()), data.store::ruleVersionText);
            } catch (RulesException e) {
                spec.commandLine().getErr().println("bbagent: " + e.getMessage());
                return 1;
            }
            var result = new Replay(data.store, data.jobs, runtime, Clock.systemUTC()).replay(delivery);
            if (result.isEmpty()) {
                spec.commandLine().getErr().println("bbagent: no delivery with id " + delivery);
                return 1;
            }
            var r = result.get();
            spec.commandLine().getOut().println("delivery " + delivery + ": " + (r.rules().isEmpty()
                    ? "no rule matches it now; nothing queued"
                    : "queued jobs " + r.jobs() + " for rules " + r.rules()));
            return 0;
        }
    }
}
