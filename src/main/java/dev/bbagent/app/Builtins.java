package dev.bbagent.app;

import dev.bbagent.bitbucket.BitbucketClient;
import dev.bbagent.bitbucket.BitbucketConfig;
import dev.bbagent.bitbucket.BitbucketTools;
import dev.bbagent.jira.JiraClient;
import dev.bbagent.jira.JiraConfig;
import dev.bbagent.jira.JiraTools;
import dev.bbagent.mcp.BuiltinToolSource;
import dev.bbagent.mcp.ToolSource;
import dev.bbagent.mcp.UnavailableToolSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * bbagent's own toolsets, built from the environment: the Bitbucket Cloud tools when a token is set, the Jira
 * Cloud tools when {@code JIRA_BASE_URL}, {@code JIRA_EMAIL} and {@code JIRA_API_TOKEN} are, else a source that
 * tells every run that uses them how to configure them (so bbagent starts without either).
 */
public final class Builtins implements AutoCloseable {

    private final Map<String, ToolSource> sources = new HashMap<>();
    private final Map<String, List<dev.bbagent.mcp.BuiltinTool>> tools = new HashMap<>();
    private final BitbucketClient bitbucket;
    private final JiraClient jira;

    /**
     * @throws dev.bbagent.config.ConfigException when Bitbucket credentials are set but wrong (app passwords), or
     *     Jira's are incomplete
     */
    public Builtins(Map<String, String> env, MeterRegistry registry, Clock clock) {
        boolean configured = List.of(BitbucketConfig.ENV_TOKEN, BitbucketConfig.ENV_EMAIL, BitbucketConfig.ENV_API_TOKEN,
                        BitbucketConfig.ENV_OLD_USERNAME, BitbucketConfig.ENV_OLD_APP_PASSWORD).stream()
                .anyMatch(k -> env.get(k) != null && !env.get(k).isBlank());
        if (configured) {
            bitbucket = new BitbucketClient(BitbucketConfig.fromEnv(env), registry, clock);
            tools.put("bitbucket", BitbucketTools.create(bitbucket));
            sources.put("bitbucket", new BuiltinToolSource("bitbucket", tools.get("bitbucket")));
        } else {
            bitbucket = null;
            sources.put("bitbucket", new UnavailableToolSource("bitbucket", "the built-in Bitbucket tools are not "
                    + "configured: set BITBUCKET_TOKEN (an access token) or BITBUCKET_EMAIL and BITBUCKET_API_TOKEN"));
        }
        if (JiraConfig.configured(env)) {
            JiraConfig config;
            try {
                config = JiraConfig.fromEnv(env);
            } catch (RuntimeException e) {
                if (bitbucket != null) {
                    bitbucket.close();
                }
                throw e;
            }
            JiraClient client = new JiraClient(config, registry, clock);
            jira = client;
            tools.put("jira", JiraTools.create(client));
            sources.put("jira", new BuiltinToolSource("jira", tools.get("jira")));
        } else {
            jira = null;
            sources.put("jira", new UnavailableToolSource("jira", "the built-in Jira tools are not configured: "
                    + JiraConfig.WHAT_TO_SET));
        }
    }

    /** One startup log line per toolset: where it connects and as whom (never a token), or what to set. */
    public List<String> description() {
        return List.of(
                "built-in Bitbucket tools: " + (bitbucket != null ? bitbucket.config().describe() : "not configured"),
                "built-in Jira tools: " + (jira != null ? jira.config().describe() : "not configured"));
    }

    public Map<String, ToolSource> sources() {
        return Map.copyOf(sources);
    }

    /** The tools of a built-in toolset, or empty when it is not configured. */
    public Optional<List<dev.bbagent.mcp.BuiltinTool>> tools(String builtin) {
        return Optional.ofNullable(tools.get(builtin));
    }

    /** Why a built-in toolset is not available, or null. */
    public String problem(String builtin) {
        ToolSource s = sources.get(builtin);
        return s == null ? "no built-in toolset named '" + builtin + "'" : s.problem();
    }

    Optional<BitbucketClient> bitbucket() {
        return Optional.ofNullable(bitbucket);
    }

    Optional<JiraClient> jira() {
        return Optional.ofNullable(jira);
    }

    @Override
    public void close() {
        sources.values().forEach(ToolSource::close);
        if (bitbucket != null) {
            bitbucket.close();
        }
        if (jira != null) {
            jira.close();
        }
    }
}
