package dev.bbagent.cli;

import dev.bbagent.agent.Chat;
import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.app.Builtins;
import dev.bbagent.config.ConfigException;
import dev.bbagent.config.Durations;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.mcp.McpToolSource;
import dev.bbagent.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bbagent chat --repo WORKSPACE/SLUG}: a terminal chat with the agent about one repository. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with the agent about one repository, with the tools, policy and limits of rules.yaml's",
                "chat section. The conversation is kept in the repository's history. End with exit, quit or q."})
final class ChatCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "WORKSPACE/SLUG")
    String repo;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Env BBAGENT_RULES; default config/rules.yaml.")
    String rules;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder. Env BBAGENT_DATA_DIR; default ./data.")
    String dataDir;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        if (!repo.matches("[^/\\s]+/[^/\\s]+")) {
            err.println("bbagent: --repo must be workspace/slug, not '" + repo + "'");
            return 2;
        }
        Map<String, String> env = System.getenv();
        RulesLoader.Loaded loaded = RulesLoader.load(Path.of(Cli.rulesFile(rules)), env);
        if (!loaded.ok()) {
            loaded.problems().forEach(p -> err.println(p.format()));
            return 1;
        }
        String base = env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1");
        String key = env.getOrDefault("OPENAI_API_KEY", "");
        if (key.isEmpty() && base.contains("api.openai.com")) {
            err.println("bbagent: OPENAI_API_KEY is not set (or point OPENAI_BASE_URL at a server that needs no key)");
            return 2;
        }
        var registry = new SimpleMeterRegistry();
        Clock clock = Clock.systemUTC();
        List<String> secrets = new ArrayList<>(List.of(key));
        secrets.add(env.getOrDefault("BITBUCKET_TOKEN", ""));
        secrets.add(env.getOrDefault("BITBUCKET_API_TOKEN", ""));
        Builtins builtins;
        Duration toolTimeout;
        try {
            // As serve: BBAGENT_TOOL_TIMEOUT per tool call unless the server's own timeout says otherwise.
            String t = env.get("BBAGENT_TOOL_TIMEOUT");
            toolTimeout = Durations.parse(t == null || t.isBlank() ? "60s" : t, "BBAGENT_TOOL_TIMEOUT");
            builtins = new Builtins(env, registry, clock);
        } catch (ConfigException e) {
            err.println("bbagent: " + e.getMessage());
            return 2;
        }
        try (builtins;
                McpServers servers = new McpServers(loaded.rules().servers(), builtinSources(builtins), registry,
                        McpToolSource.Options.defaults().withCallTimeout(toolTimeout));
                LlmClient llm = new LlmClient(LlmClient.Settings.of(base, key), registry);
                HistoryStore history = new HistoryStore(Path.of(Cli.dataDir(dataDir)), new Redactor(secrets), clock,
                        registry, 20_000, Duration.ofMinutes(5))) {
            Chat chat = new Chat(loaded.rules(), servers, llm, history, "true".equals(env.get("BBAGENT_DRY_RUN")),
                    registry, clock);
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return chat.run(repo, System.getProperty("user.name", "you"), in, spec.commandLine().getOut());
        }
    }

    private static Map<String, dev.bbagent.mcp.ToolSource> builtinSources(Builtins b) {
        return b.sources();
    }
}
