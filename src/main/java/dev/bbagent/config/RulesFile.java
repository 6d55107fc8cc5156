package dev.bbagent.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * config/rules.yaml as written, after environment interpolation and the schema check. Optional values
 * are null when the file leaves them out; {@code dev.bbagent.rules} merges defaults and validates meaning.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RulesFile(
        int version,
        Settings defaults,
        Map<String, McpServer> mcpServers,
        Bot bot,
        Map<String, Price> pricing,
        Budget budget,
        Jira jira,
        Chat chat,
        List<Rule> rules) {

    public RulesFile {
        defaults = defaults == null ? Settings.EMPTY : defaults;
        mcpServers = mcpServers == null ? Map.of() : Map.copyOf(mcpServers);
        bot = bot == null ? new Bot(List.of()) : bot;
        pricing = pricing == null ? Map.of() : Map.copyOf(pricing);
        budget = budget == null ? new Budget(null, null) : budget;
        jira = jira == null ? new Jira(Map.of()) : jira;
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Settings a rule inherits from {@code defaults} unless it sets its own. */
    public record Settings(
            String model,
            String api,
            String instructions,
            Integer maxTurns,
            String timeout,
            Integer maxTokens,
            Integer retries,
            String concurrency,
            String debounce,
            String memory,
            Integer memoryTokens,
            Integer maxWrites,
            Integer maxThreadWritesPerHour,
            String scope,
            Boolean dryRun,
            Budget budget) {

        public static final Settings EMPTY =
                new Settings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * An MCP server: exactly one of {@code builtin}, {@code command} (stdio) or {@code url} (Streamable
     * HTTP or SSE). {@code hosted: true} hands a URL server to the Responses API as a hosted MCP tool.
     */
    public record McpServer(
            String builtin,
            String command,
            List<String> args,
            Map<String, String> env,
            String cwd,
            String url,
            String transport,
            Map<String, String> headers,
            Boolean hosted,
            Boolean enabled,
            String timeout,
            Integer maxConcurrency) {

        public McpServer {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? Map.of() : Map.copyOf(env);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** A server without a {@code max_concurrency} of its own. */
        public McpServer(String builtin, String command, List<String> args, Map<String, String> env, String cwd,
                String url, String transport, Map<String, String> headers, Boolean hosted, Boolean enabled,
                String timeout) {
            this(builtin, command, args, env, cwd, url, transport, headers, hosted, enabled, timeout, null);
        }

        public boolean isEnabled() {
            return enabled == null || enabled;
        }

        public boolean isHosted() {
            return hosted != null && hosted;
        }
    }

    public record Bot(List<String> accountIds) {
        public Bot {
            accountIds = accountIds == null ? List.of() : accountIds.stream().filter(s -> s != null && !s.isBlank()).toList();
        }
    }

    /** USD per million tokens. */
    public record Price(double input, double output, Double cachedInput) {}

    public record Budget(Double perRunUsd, Double dailyUsd) {}

    public record Jira(Map<String, String> projects) {
        public Jira {
            projects = projects == null ? Map.of() : Map.copyOf(projects);
        }
    }

    /** Settings of {@code bbagent chat}: the tools it may use and its limits (null: the defaults). */
    public record Chat(
            List<String> tools,
            List<String> allowDestructive,
            String model,
            String api,
            String instructions,
            Integer maxTurns,
            String timeout,
            Integer maxTokens,
            Integer retries,
            String concurrency,
            String debounce,
            String memory,
            Integer memoryTokens,
            Integer maxWrites,
            Integer maxThreadWritesPerHour,
            String scope,
            Boolean dryRun,
            Budget budget) {

        /** The chat as a rule that no event triggers, so it is checked and compiled like one. */
        public Rule asRule() {
            return new Rule("chat", true, List.of(), null, List.of(), List.of(), "{{thread}}", tools, allowDestructive,
                    true, false, model, api, instructions, maxTurns, timeout, maxTokens, retries, concurrency, debounce,
                    memory, memoryTokens, maxWrites, maxThreadWritesPerHour, scope == null ? "repository" : scope, dryRun,
                    budget);
        }
    }

    /** One rule as written. */
    public record Rule(
            String name,
            Boolean enabled,
            List<String> on,
            @JsonProperty("if") String condition,
            List<String> repos,
            List<String> branches,
            String prompt,
            List<String> tools,
            List<String> allowDestructive,
            Boolean allowBots,
            Boolean supersede,
            String model,
            String api,
            String instructions,
            Integer maxTurns,
            String timeout,
            Integer maxTokens,
            Integer retries,
            String concurrency,
            String debounce,
            String memory,
            Integer memoryTokens,
            Integer maxWrites,
            Integer maxThreadWritesPerHour,
            String scope,
            Boolean dryRun,
            Budget budget) {

        public Rule {
            on = on == null ? List.of() : List.copyOf(on);
            repos = repos == null ? List.of() : List.copyOf(repos);
            branches = branches == null ? List.of() : List.copyOf(branches);
            tools = tools == null ? List.of() : List.copyOf(tools);
            allowDestructive = allowDestructive == null ? List.of() : List.copyOf(allowDestructive);
        }

        public boolean isEnabled() {
            return enabled == null || enabled;
        }

        /** The settings this rule sets itself (null where it inherits). */
        public Settings settings() {
            return new Settings(model, api, instructions, maxTurns, timeout, maxTokens, retries, concurrency, debounce,
                    memory, memoryTokens, maxWrites, maxThreadWritesPerHour, scope, dryRun, budget);
        }
    }
}
