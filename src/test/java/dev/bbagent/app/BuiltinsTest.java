package dev.bbagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinsTest {

    @Test
    void theStartupLinesSayWhereEachToolsetConnectsAndAsWhomWithoutAToken() {
        Map<String, String> env = Map.of("BITBUCKET_TOKEN", "bb-secret-token-value", "BITBUCKET_API_URL",
                "http://127.0.0.1:1/2.0", "BITBUCKET_REQUESTS_PER_HOUR", "250", "JIRA_BASE_URL",
                "https://acme.atlassian.net", "JIRA_EMAIL", "bot@acme.test", "JIRA_API_TOKEN", "jira-secret-token-value");

        try (Builtins builtins = new Builtins(env, new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(builtins.description()).hasSize(2);
            assertThat(builtins.description().get(0)).startsWith("built-in Bitbucket tools: Bitbucket Cloud API "
                    + "http://127.0.0.1:1/2.0 as access token ").endsWith("(Bearer), at most 250 requests/hour");
            assertThat(builtins.description().get(1)).isEqualTo("built-in Jira tools: Jira Cloud "
                    + "https://acme.atlassian.net as bot@acme.test (API token), at most 100 requests/minute");
            assertThat(String.join("\n", builtins.description())).doesNotContain("secret-token-value");
        }
    }

    @Test
    void unconfiguredToolsetsSaySo() {
        try (Builtins builtins = new Builtins(Map.of(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(builtins.description()).containsExactly("built-in Bitbucket tools: not configured",
                    "built-in Jira tools: not configured");
        }
    }
}
