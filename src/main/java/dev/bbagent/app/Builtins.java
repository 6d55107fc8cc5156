package dev.bbagent.app;

import dev.bbagent.bitbucket.BitbucketClient;
import dev.bbagent.bitbucket.BitbucketConfig;
import dev.bbagent.bitbucket.BitbucketTools;
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
 * bbagent's own toolsets, built from the environment: the Bitbucket Cloud tools when a token is set,
 * else a source that tells every run how to configure them.
 */
final class Builtins implements AutoCloseable {

    private final Map<String, ToolSource> sources = new HashMap<>();
    private final BitbucketClient bitbucket;

    Builtins(Map<String, String> env, MeterRegistry registry, Clock clock) {
        boolean configured = List.of(BitbucketConfig.ENV_TOKEN, BitbucketConfig.ENV_EMAIL, BitbucketConfig.ENV_API_TOKEN,
                        BitbucketConfig.ENV_OLD_USERNAME, BitbucketConfig.ENV_OLD_APP_PASSWORD).stream()
                .anyMatch(k -> env.get(k) != null && !env.get(k).isBlank());
        if (configured) {
            bitbucket = new BitbucketClient(BitbucketConfig.fromEnv(env), registry, clock);
            sources.put("bitbucket", new BuiltinToolSource("bitbucket", BitbucketTools.create(bitbucket)));
        } else {
            bitbucket = null;
            sources.put("bitbucket", new UnavailableToolSource("bitbucket", "the built-in Bitbucket tools are not "
                    + "configured: set BITBUCKET_TOKEN (an access token) or BITBUCKET_EMAIL and BITBUCKET_API_TOKEN"));
        }
        sources.put("jira", new UnavailableToolSource("jira", "the built-in Jira tools are not available in this bbagent"));
    }

    Map<String, ToolSource> sources() {
        return Map.copyOf(sources);
    }

    Optional<BitbucketClient> bitbucket() {
        return Optional.ofNullable(bitbucket);
    }

    @Override
    public void close() {
        sources.values().forEach(ToolSource::close);
        if (bitbucket != null) {
            bitbucket.close();
        }
    }
}
