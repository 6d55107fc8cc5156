package dev.bbagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.config.RulesReader;
import dev.bbagent.rules.RulesLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bbagent validate}: check a rules file; exit 0 when valid, 1 with every problem otherwise. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a rules file: structure, event keys, CEL conditions, templates, tools, durations.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Env BBAGENT_RULES; default config/rules.yaml.")
    String rules;

    @Option(names = "--print-schema", description = "Print the JSON schema of the rules file (for editors) and exit.")
    boolean printSchema;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (printSchema) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(RulesReader.schema()));
            return 0;
        }
        Path file = Path.of(Cli.rulesFile(rules));
        RulesLoader.Loaded loaded = RulesLoader.load(file, System.getenv());
        if (loaded.ok()) {
            long n = loaded.rules().rules().size();
            long enabled = loaded.rules().enabledCount();
            out.println("OK: " + n + " rules" + (enabled == n ? "" : " (" + enabled + " enabled)") + " in " + file
                    + " (version " + loaded.rules().version() + ")");
            return 0;
        }
        var err = spec.commandLine().getErr();
        loaded.problems().forEach(p -> err.println(p.format()));
        err.println(loaded.problems().size() + " problem" + (loaded.problems().size() == 1 ? "" : "s") + " in " + file);
        return 1;
    }
}
