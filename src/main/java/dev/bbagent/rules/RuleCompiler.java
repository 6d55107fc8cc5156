package dev.bbagent.rules;

import dev.bbagent.config.ConfigException;
import dev.bbagent.config.Durations;
import dev.bbagent.config.Problem;
import dev.bbagent.config.RulesFile;
import dev.bbagent.config.RulesFile.Rule;
import dev.bbagent.config.RulesFile.Settings;
import dev.bbagent.config.RulesReader;
import dev.bbagent.config.YamlTree;
import dev.bbagent.event.EventKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks what a rules file means and compiles it: event keys, CEL conditions, Mustache templates, tool
 * names, durations and globs. Collects every problem, each with file and line.
 */
final class RuleCompiler {

    /** Kinds for which {@code supersede} defaults to true: a newer push makes an older review moot. */
    private static final Set<String> UPDATE_TRIGGERS = Set.of("pull_request.updated", "pull_request.pushed",
            "pullrequest:updated", "pullrequest:push", "pr:from_ref_updated", "pr:modified");

    private final RulesReader.Read read;
    private final RulesFile file;
    private final YamlTree tree;
    private final List<Problem> problems = new ArrayList<>();

    private RuleCompiler(RulesReader.Read read) {
        this.read = read;
        this.file = read.file();
        this.tree = read.tree();
    }

    /** Compile a file that passed the structural checks; problems are returned instead of a result. */
    static Result compile(RulesReader.Read read) {
        if (!read.ok()) {
            return new Result(null, read.problems());
        }
        RuleCompiler c = new RuleCompiler(read);
        CompiledRules rules = c.run();
        return c.problems.isEmpty() ? new Result(rules, List.of()) : new Result(null, List.copyOf(c.problems));
    }

    record Result(CompiledRules rules, List<Problem> problems) {}

    private CompiledRules run() {
        checkServers();
        Set<String> names = new HashSet<>();
        List<CompiledRule> compiled = new ArrayList<>();
        for (int i = 0; i < file.rules().size(); i++) {
            Rule r = file.rules().get(i);
            String at = "/rules/" + i;
            if (!names.add(r.name())) {
                problem(at + "/name", i, "name", "duplicate rule name '" + r.name() + "'; names must be unique");
            }
            CompiledRule rule = compileRule(i, r, at);
            if (rule != null) {
                compiled.add(rule);
            }
        }
        RulesFile.Chat chatSpec = file.chat() != null ? file.chat()
                : new RulesFile.Chat(file.mcpServers().containsKey("bitbucket") ? List.of("bitbucket.*") : List.of(),
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        CompiledRule chat = compileRule(-1, chatSpec.asRule(), "/chat");
        return new CompiledRules(read.name(), read.version(), read.text(), compiled, file.mcpServers(),
                new LinkedHashSet<>(file.bot().accountIds()), file.pricing(), file.budget(), file.jira().projects(), chat);
    }

    private void checkServers() {
        for (Map.Entry<String, RulesFile.McpServer> e : file.mcpServers().entrySet()) {
            RulesFile.McpServer s = e.getValue();
            String at = "/mcp_servers/" + e.getKey().replace("~", "~0").replace("/", "~1");
            if (s.isHosted() && s.url() == null) {
                problemAt(at + "/hosted", "mcp_servers." + e.getKey(), "hosted: true needs a 'url' (the Responses API connects to it)");
            }
            if (s.isEnabled() && s.url() != null && !s.url().matches("(?i)^https?://\\S+$")) {
                problemAt(at + "/url", "mcp_servers." + e.getKey(), "url must start with http:// or https://, not '"
                        + s.url() + "'");
            }
            if (s.timeout() != null) {
                duration(at + "/timeout", "mcp_servers." + e.getKey() + ".timeout", s.timeout());
            }
        }
    }

    private CompiledRule compileRule(int i, Rule r, String at) {
        int before = problems.size();
        String label = i < 0 ? "chat" : "rules[" + i + "] \"" + r.name() + "\"";
        Set<String> on = new LinkedHashSet<>();
        for (int j = 0; j < r.on().size(); j++) {
            String key = r.on().get(j);
            if (!EventKinds.isKnownAnywhere(key) && !EventKinds.allKinds().contains(key)) {
                problemAt(at + "/on/" + j, label + ".on", "unknown event '" + key + "'" + Suggestions.eventKey(key));
            }
            on.add(key);
        }
        CelCondition condition = null;
        if (r.condition() != null && !r.condition().isBlank()) {
            CelCondition.Compiled c = CelCondition.compile(r.condition());
            c.errors().forEach(err -> problemAt(at + "/if", label + ".if", err));
            condition = c.condition();
        }
        PromptTemplate prompt = template(at + "/prompt", label + ".prompt", r.prompt());
        PromptTemplate instructions = null;
        String instructionsSource = first(r.instructions(), file.defaults().instructions());
        if (instructionsSource != null) {
            String where = r.instructions() != null ? at + "/instructions" : "/defaults/instructions";
            instructions = template(where, label + ".instructions", instructionsSource);
        }
        List<Glob> repos = globs(at + "/repos", label + ".repos", r.repos());
        List<Glob> branches = globs(at + "/branches", label + ".branches", r.branches());
        checkTools(at + "/tools", label + ".tools", r.tools(), r.isEnabled());
        checkTools(at + "/allow_destructive", label + ".allow_destructive", r.allowDestructive(), r.isEnabled());
        RunSettings settings = settings(r, at, label);
        if (settings != null && r.isEnabled() && !settings.api().equals("responses") && usesHosted(r.tools())) {
            problemAt(at + "/tools", label + ".tools", "tools of a hosted MCP server need 'api: responses' "
                    + "(only the Responses API calls hosted MCP servers)");
        }
        if (problems.size() > before) {
            return null;
        }
        return new CompiledRule(r.name(), tree.line(at), r.isEnabled(), on, condition, r.repos(), repos, r.branches(),
                branches, prompt, instructions, settings);
    }

    private RunSettings settings(Rule r, String at, String label) {
        Settings own = r.settings();
        Settings def = file.defaults();
        RunSettings b = RunSettings.BUILT_IN;
        Duration timeout = durationOf(own.timeout(), def.timeout(), at + "/timeout", label + ".timeout", b.timeout());
        Duration debounce = durationOf(own.debounce(), def.debounce(), at + "/debounce", label + ".debounce", b.debounce());
        boolean supersede = r.supersede() != null ? r.supersede() : r.on().stream().anyMatch(UPDATE_TRIGGERS::contains);
        RulesFile.Budget ownBudget = own.budget() == null ? new RulesFile.Budget(null, null) : own.budget();
        RulesFile.Budget defBudget = def.budget() == null ? new RulesFile.Budget(null, null) : def.budget();
        return new RunSettings(
                pick(Settings::model, own, def, b.model()),
                pick(Settings::api, own, def, b.api()),
                pick(Settings::maxTurns, own, def, b.maxTurns()),
                timeout,
                pick(Settings::maxTokens, own, def, b.maxTokens()),
                pick(Settings::retries, own, def, b.retries()),
                pick(Settings::concurrency, own, def, b.concurrency()),
                supersede,
                debounce,
                pick(Settings::memory, own, def, b.memory()),
                pick(Settings::memoryTokens, own, def, b.memoryTokens()),
                pick(Settings::maxWrites, own, def, b.maxWrites()),
                pick(Settings::maxThreadWritesPerHour, own, def, b.maxThreadWritesPerHour()),
                pick(Settings::scope, own, def, b.scope()),
                pick(Settings::dryRun, own, def, b.dryRun()),
                first(ownBudget.perRunUsd(), defBudget.perRunUsd(), file.budget().perRunUsd()),
                first(file.budget().dailyUsd(), defBudget.dailyUsd()),
                r.tools(),
                r.allowDestructive(),
                r.allowBots() != null && r.allowBots());
    }

    private static <T> T pick(Function<Settings, T> field, Settings own, Settings def, T builtIn) {
        T v = field.apply(own);
        if (v == null) {
            v = field.apply(def);
        }
        return v == null ? builtIn : v;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private Duration durationOf(String own, String def, String at, String label, Duration builtIn) {
        if (own != null) {
            return duration(at, label, own);
        }
        if (def != null) {
            return duration("/defaults/" + at.substring(at.lastIndexOf('/') + 1), "defaults." + at.substring(at.lastIndexOf('/') + 1), def);
        }
        return builtIn;
    }

    private Duration duration(String at, String label, String text) {
        try {
            return Durations.parse(text, label);
        } catch (ConfigException e) {
            problemAt(at, "", e.getMessage());
            return Duration.ZERO;
        }
    }

    private PromptTemplate template(String at, String label, String source) {
        PromptTemplate.Compiled c = PromptTemplate.compile(label, source);
        c.errors().forEach(err -> problemAt(at, label, err));
        return c.template();
    }

    private List<Glob> globs(String at, String label, List<String> globs) {
        List<Glob> out = new ArrayList<>();
        for (int j = 0; j < globs.size(); j++) {
            try {
                out.add(Glob.of(globs.get(j)));
            } catch (IllegalArgumentException e) {
                problemAt(at + "/" + j, label, "'" + globs.get(j) + "' is not a valid glob: " + e.getMessage());
            }
        }
        return out;
    }

    /** Tools are {@code server.tool} with globs allowed in the tool part; the server must be defined. */
    private void checkTools(String at, String label, List<String> tools, boolean ruleEnabled) {
        for (int j = 0; j < tools.size(); j++) {
            String t = tools.get(j);
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                problemAt(at + "/" + j, label, "'" + t + "' must be server.tool (e.g. bitbucket.get_pull_request, "
                        + "bitbucket.get_*)");
                continue;
            }
            String server = t.substring(0, dot);
            RulesFile.McpServer s = file.mcpServers().get(server);
            if (s == null) {
                String hint = dev.bbagent.config.Suggest.nearest(server, file.mcpServers().keySet())
                        .map(n -> "; did you mean '" + n + "'?").orElse("; define it under mcp_servers");
                problemAt(at + "/" + j, label, "unknown server '" + server + "' in '" + t + "'" + hint);
            } else if (!s.isEnabled() && ruleEnabled) {
                problemAt(at + "/" + j, label, "server '" + server + "' is disabled (enabled: false) but this rule uses it");
            }
        }
    }

    private boolean usesHosted(List<String> tools) {
        return tools.stream().map(t -> t.contains(".") ? t.substring(0, t.indexOf('.')) : t)
                .map(file.mcpServers()::get).filter(Objects::nonNull).anyMatch(RulesFile.McpServer::isHosted);
    }

    private void problem(String pointer, int rule, String field, String message) {
        problemAt(pointer, "rules[" + rule + "] \"" + file.rules().get(rule).name() + "\"." + field, message);
    }

    private void problemAt(String pointer, String where, String message) {
        problems.add(new Problem(read.name(), tree.line(pointer), where, message));
    }
}
