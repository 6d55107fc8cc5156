package dev.bbagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@link Settings}: a flag wins over an environment variable, which wins over the default.
 * Also produces one log line per setting, naming where its value came from and never showing a secret.
 */
public final class SettingsLoader {

    /** Every setting: its environment variable, default and meaning. The README table mirrors this. */
    public enum Def {
        HOST("BBAGENT_HOST", "0.0.0.0", "interface to listen on", false),
        PORT("BBAGENT_PORT", "8080", "HTTP port (0 picks a free one)", false),
        DATA_DIR("BBAGENT_DATA_DIR", "./data", "folder for bbagent.db and per-repository history", false),
        RULES("BBAGENT_RULES", "config/rules.yaml", "the rules file", false),
        WEBHOOK_SECRET("BITBUCKET_WEBHOOK_SECRET", "", "webhook secret; several separated by commas while rotating", true),
        JIRA_WEBHOOK_SECRET("JIRA_WEBHOOK_SECRET", "", "Jira webhook secret (optional); several separated by commas while rotating", true),
        ALLOW_UNSIGNED("BBAGENT_ALLOW_UNSIGNED", "false", "accept unsigned deliveries when no secret is set", false),
        ADMIN_TOKEN("BBAGENT_ADMIN_TOKEN", "", "bearer token for /api/*; unset turns the admin API off", true),
        DELIVERY_RETENTION_DAYS("BBAGENT_DELIVERY_RETENTION_DAYS", "30", "days to keep stored deliveries", false),
        DB_SYNC("BBAGENT_DB_SYNC", "full", "full: fsync every commit (survives power loss); normal: survives a killed process", false),
        SHUTDOWN_GRACE("BBAGENT_SHUTDOWN_GRACE", "30s", "how long running jobs may finish on SIGTERM", false),
        WORKERS("BBAGENT_WORKERS", "16", "jobs running at once in this process", false),
        MAX_PER_REPO("BBAGENT_MAX_PER_REPO", "0", "jobs running at once per repository (0: no limit)", false),
        INSTANCE_ID("BBAGENT_INSTANCE_ID", "", "this instance's name for job leases (default: the host name)", false),
        OPENAI_BASE_URL("OPENAI_BASE_URL", "https://api.openai.com/v1", "any OpenAI-compatible API (vLLM, Ollama, Azure...)", false),
        OPENAI_API_KEY("OPENAI_API_KEY", "", "the model API's key", true),
        DRY_RUN("BBAGENT_DRY_RUN", "false", "record write tool calls instead of making them, for every rule", false),
        HISTORY_DAYS("BBAGENT_HISTORY_DAYS", "90", "days to keep runs in the per-repository history", false),
        TOOL_TIMEOUT("BBAGENT_TOOL_TIMEOUT", "60s", "per tool call, unless the MCP server sets its own", false),
        TOOL_RESULT_CHARS("BBAGENT_TOOL_RESULT_CHARS", "20000", "tool results longer than this are cut in the history", false),
        LLM_ATTEMPTS("BBAGENT_LLM_ATTEMPTS", "3", "attempts per model request within a run (429, 5xx, timeouts)", false),
        LLM_BACKOFF("BBAGENT_LLM_BACKOFF", "2s", "first wait between those attempts (doubling, with jitter)", false),
        HTTP_IDLE_TIMEOUT("BBAGENT_HTTP_IDLE_TIMEOUT", "30s", "an HTTP connection without bytes for this long is closed", false);

        public final String env;
        public final String defaultValue;
        public final String meaning;
        public final boolean secret;

        Def(String env, String defaultValue, String meaning, boolean secret) {
            this.env = env;
            this.defaultValue = defaultValue;
            this.meaning = meaning;
            this.secret = secret;
        }
    }

    /** Settings plus the startup log lines that describe them. */
    public record Loaded(Settings settings, List<String> description) {}

    private final Map<Def, String> flags;
    private final Map<String, String> env;
    private final List<String> lines = new ArrayList<>();

    private SettingsLoader(Map<Def, String> flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
    }

    /**
     * @param flags values given on the command line (absent when not given)
     * @param env the process environment
     * @throws ConfigException when a value does not parse, or when nothing protects the webhook
     */
    public static Loaded load(Map<Def, String> flags, Map<String, String> env) {
        SettingsLoader l = new SettingsLoader(flags, env);
        String host = l.pick(Def.HOST);
        int port = l.integer(Def.PORT);
        Path dataDir = Path.of(l.pick(Def.DATA_DIR));
        Path rules = Path.of(l.pick(Def.RULES));
        List<String> secrets = Arrays.stream(l.pick(Def.WEBHOOK_SECRET).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<String> jiraSecrets = Arrays.stream(l.pick(Def.JIRA_WEBHOOK_SECRET).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        boolean allowUnsigned = l.bool(Def.ALLOW_UNSIGNED);
        String admin = l.pick(Def.ADMIN_TOKEN);
        int retention = l.integer(Def.DELIVERY_RETENTION_DAYS);
        String sync = l.pick(Def.DB_SYNC).toLowerCase(Locale.ROOT);
        if (!sync.equals("full") && !sync.equals("normal")) {
            throw new ConfigException(Def.DB_SYNC.env + " must be 'full' or 'normal', not '" + sync + "'");
        }
        Duration grace = Durations.parse(l.pick(Def.SHUTDOWN_GRACE), Def.SHUTDOWN_GRACE.env);
        int workers = l.integer(Def.WORKERS);
        int maxPerRepo = l.integer(Def.MAX_PER_REPO);
        String instance = l.pick(Def.INSTANCE_ID);
        if (instance.isBlank()) {
            instance = hostName();
            String line = Def.INSTANCE_ID.env + " = " + instance + " (default: the host name)";
            l.lines.replaceAll(x -> x.startsWith(Def.INSTANCE_ID.env + " = ") ? line : x);
        }
        String openaiUrl = l.pick(Def.OPENAI_BASE_URL);
        String openaiKey = l.pick(Def.OPENAI_API_KEY);
        boolean dryRun = l.bool(Def.DRY_RUN);
        int historyDays = l.integer(Def.HISTORY_DAYS);
        Duration toolTimeout = Durations.parse(l.pick(Def.TOOL_TIMEOUT), Def.TOOL_TIMEOUT.env);
        int toolChars = l.integer(Def.TOOL_RESULT_CHARS);
        int llmAttempts = l.integer(Def.LLM_ATTEMPTS);
        Duration llmBackoff = Durations.parse(l.pick(Def.LLM_BACKOFF), Def.LLM_BACKOFF.env);
        Duration idle = Durations.parse(l.pick(Def.HTTP_IDLE_TIMEOUT), Def.HTTP_IDLE_TIMEOUT.env);
        if (secrets.isEmpty() && jiraSecrets.isEmpty() && !allowUnsigned) {
            throw new ConfigException("no webhook secret is configured. Set BITBUCKET_WEBHOOK_SECRET to the secret "
                    + "you enter in the Bitbucket webhook (several, comma-separated, while rotating), and/or "
                    + "JIRA_WEBHOOK_SECRET to the one in the Jira webhook, or set BBAGENT_ALLOW_UNSIGNED=true to accept "
                    + "unsigned deliveries on a trusted network");
        }
        if (openaiKey.isEmpty() && openaiUrl.contains("api.openai.com")) {
            throw new ConfigException("OPENAI_API_KEY is not set. Set it to your OpenAI API key, or point "
                    + "OPENAI_BASE_URL at an OpenAI-compatible server that needs no key (vLLM, Ollama)");
        }
        if ((!secrets.isEmpty() || !jiraSecrets.isEmpty()) && allowUnsigned) {
            l.lines.add("note: BBAGENT_ALLOW_UNSIGNED is ignored because a webhook secret is set; unsigned deliveries are refused");
        }
        boolean signedOnly = !secrets.isEmpty() || !jiraSecrets.isEmpty() || !allowUnsigned;
        if (signedOnly && secrets.isEmpty()) {
            l.lines.add("note: BITBUCKET_WEBHOOK_SECRET is unset, so POST /webhooks/bitbucket refuses every delivery (401)");
        }
        if (signedOnly && jiraSecrets.isEmpty()) {
            l.lines.add("note: JIRA_WEBHOOK_SECRET is unset, so POST /webhooks/jira refuses every delivery (401); "
                    + "set it to receive Jira issue events");
        }
        if (admin.isEmpty()) {
            l.lines.add("note: BBAGENT_ADMIN_TOKEN is unset, so the admin API (/api/*) is off");
        }
        Settings s = new Settings(host, port, dataDir, rules, secrets, allowUnsigned,
                admin.isEmpty() ? Optional.empty() : Optional.of(admin), retention, sync, grace, workers, maxPerRepo,
                instance, openaiUrl, openaiKey.isEmpty() ? Optional.empty() : Optional.of(openaiKey), dryRun, historyDays,
                toolTimeout, toolChars, llmAttempts, llmBackoff, jiraSecrets, idle);
        return new Loaded(s, List.copyOf(l.lines));
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "bbagent";
        }
    }

    private String pick(Def def) {
        String value;
        String origin;
        if (flags.containsKey(def) && flags.get(def) != null) {
            value = flags.get(def);
            origin = "flag";
        } else if (env.get(def.env) != null && !env.get(def.env).isEmpty()) {
            value = env.get(def.env);
            origin = "env " + def.env;
        } else {
            value = def.defaultValue;
            origin = "default";
        }
        lines.add(def.env + " = " + shown(def, value) + " (" + origin + ")");
        return value;
    }

    private static String shown(Def def, String value) {
        if (!def.secret) {
            return value;
        }
        if (value.isEmpty()) {
            return "<unset>";
        }
        long n = Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).count();
        return def == Def.WEBHOOK_SECRET || def == Def.JIRA_WEBHOOK_SECRET ? "<" + n + " secret" + (n == 1 ? "" : "s") + ">" : "<set>";
    }

    private int integer(Def def) {
        String v = pick(def);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(def.env + " must be a whole number, not '" + v + "'");
        }
    }

    private boolean bool(Def def) {
        String v = pick(def).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw new ConfigException(def.env + " must be true or false, not '" + v + "'");
        };
    }
}
