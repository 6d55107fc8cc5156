package dev.bbagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.config.SettingsLoader.Def;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

    private static final Map<String, String> SIGNED = env("BITBUCKET_WEBHOOK_SECRET", "abc");

    /** An environment with the given variables and an OpenAI key (serve needs one for api.openai.com). */
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("OPENAI_API_KEY", "sk-test"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        Settings s = SettingsLoader.load(Map.of(), SIGNED).settings();

        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.rulesFile()).isEqualTo(Path.of("config/rules.yaml"));
        assertThat(s.allowUnsigned()).isFalse();
        assertThat(s.adminToken()).isEmpty();
        assertThat(s.deliveryRetentionDays()).isEqualTo(30);
        assertThat(s.dbSync()).isEqualTo("full");
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.httpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theHttpIdleTimeoutCanBeRaisedAboveAProxysAndNotSetBelowASecond() {
        var env = env("BITBUCKET_WEBHOOK_SECRET", "abc", "BBAGENT_HTTP_IDLE_TIMEOUT", "75s");

        assertThat(SettingsLoader.load(Map.of(), env).settings().httpIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(),
                env("BITBUCKET_WEBHOOK_SECRET", "abc", "BBAGENT_HTTP_IDLE_TIMEOUT", "500ms")))
                .hasMessageContaining("BBAGENT_HTTP_IDLE_TIMEOUT must be at least 1s");
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        var env = env("BITBUCKET_WEBHOOK_SECRET", "abc", "BBAGENT_PORT", "9000", "BBAGENT_HOST", "127.0.0.1");

        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(Def.PORT, "9100"), env);

        assertThat(loaded.settings().port()).isEqualTo(9100);
        assertThat(loaded.settings().host()).isEqualTo("127.0.0.1");
        assertThat(loaded.description()).contains("BBAGENT_PORT = 9100 (flag)", "BBAGENT_HOST = 127.0.0.1 (env BBAGENT_HOST)",
                "BBAGENT_DATA_DIR = ./data (default)");
    }

    @Test
    void anUnsetInstanceIdIsLoggedAsTheHostNameItResolvesTo() {
        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(), env("BITBUCKET_WEBHOOK_SECRET", "abc"));

        assertThat(loaded.settings().instanceId()).isNotBlank();
        assertThat(loaded.description()).contains("BBAGENT_INSTANCE_ID = " + loaded.settings().instanceId()
                + " (default: the host name)");
    }

    @Test
    void severalSecretsAreSplitOnCommas() {
        Settings s = SettingsLoader.load(Map.of(), env("BITBUCKET_WEBHOOK_SECRET", " new , old ,")).settings();

        assertThat(s.webhookSecrets()).containsExactly("new", "old");
    }

    @Test
    void secretsNeverAppearInTheDescriptionOrToString() {
        var env = env("BITBUCKET_WEBHOOK_SECRET", "super-secret-1,super-secret-2", "BBAGENT_ADMIN_TOKEN", "tok-123");

        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(), env);

        assertThat(String.join("\n", loaded.description()) + loaded.settings())
                .doesNotContain("super-secret").doesNotContain("tok-123")
                .contains("BITBUCKET_WEBHOOK_SECRET = <2 secrets>").contains("BBAGENT_ADMIN_TOKEN = <set>");
    }

    @Test
    void withoutASecretOrAnExplicitOptInItRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BITBUCKET_WEBHOOK_SECRET")
                .hasMessageContaining("BBAGENT_ALLOW_UNSIGNED=true");
    }

    @Test
    void unsignedDeliveriesNeedTheExplicitOptIn() {
        Settings s = SettingsLoader.load(Map.of(Def.ALLOW_UNSIGNED, "true"), env()).settings();

        assertThat(s.allowUnsigned()).isTrue();
        assertThat(s.webhookSecrets()).isEmpty();
    }

    @Test
    void theJiraSecretIsOptionalAndItsAbsenceIsNoted() {
        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(), SIGNED);

        assertThat(loaded.settings().jiraWebhookSecrets()).isEmpty();
        assertThat(loaded.settings().unsignedAllowed()).isFalse();
        assertThat(loaded.description()).contains("JIRA_WEBHOOK_SECRET = <unset> (default)")
                .anySatisfy(l -> assertThat(l).contains("POST /webhooks/jira refuses every delivery"));
    }

    @Test
    void jiraSecretsAreSplitOnCommasAndNeverShown() {
        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(), env("BITBUCKET_WEBHOOK_SECRET", "abc",
                "JIRA_WEBHOOK_SECRET", "jira-new, jira-old"));

        assertThat(loaded.settings().jiraWebhookSecrets()).containsExactly("jira-new", "jira-old");
        assertThat(String.join("\n", loaded.description()) + loaded.settings()).doesNotContain("jira-new")
                .contains("JIRA_WEBHOOK_SECRET = <2 secrets>");
    }

    @Test
    void aJiraSecretAloneIsEnoughToStartAndTheBitbucketRouteStaysClosed() {
        SettingsLoader.Loaded loaded = SettingsLoader.load(Map.of(Def.ALLOW_UNSIGNED, "true"),
                env("JIRA_WEBHOOK_SECRET", "j"));

        assertThat(loaded.settings().webhookSecrets()).isEmpty();
        assertThat(loaded.settings().unsignedAllowed()).isFalse();
        assertThat(loaded.description()).anySatisfy(l -> assertThat(l).contains("POST /webhooks/bitbucket refuses"))
                .anySatisfy(l -> assertThat(l).contains("BBAGENT_ALLOW_UNSIGNED is ignored"));
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(Def.PORT, "eighty"), SIGNED))
                .hasMessageContaining("BBAGENT_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(Def.ALLOW_UNSIGNED, "maybe"), SIGNED))
                .hasMessageContaining("BBAGENT_ALLOW_UNSIGNED");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(Def.DB_SYNC, "off"), SIGNED))
                .hasMessageContaining("BBAGENT_DB_SYNC");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(Def.SHUTDOWN_GRACE, "soon"), SIGNED))
                .hasMessageContaining("BBAGENT_SHUTDOWN_GRACE");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(Def.DELIVERY_RETENTION_DAYS, "0"), SIGNED))
                .hasMessageContaining("BBAGENT_DELIVERY_RETENTION_DAYS");
    }

    @Test
    void anOpenAiKeyIsRequiredForOpenAiButNotForALocalServer() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), Map.of("BITBUCKET_WEBHOOK_SECRET", "abc")))
                .hasMessageContaining("OPENAI_API_KEY is not set").hasMessageContaining("OPENAI_BASE_URL");

        Settings s = SettingsLoader.load(Map.of(), Map.of("BITBUCKET_WEBHOOK_SECRET", "abc",
                "OPENAI_BASE_URL", "http://localhost:11434/v1")).settings();

        assertThat(s.openaiBaseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(s.openaiApiKey()).isEmpty();
        assertThat(s.historyDays()).isEqualTo(90);
        assertThat(s.dryRun()).isFalse();
    }

    @Test
    void durationsReadTheUsualUnits() {
        assertThat(Durations.parse("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2d", "x")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.format(Duration.ofSeconds(180))).isEqualTo("3m");
        assertThat(Durations.format(Duration.ofSeconds(5400))).isEqualTo("1h30m");
        assertThatThrownBy(() -> Durations.parse("3 minutes", "defaults.timeout"))
                .hasMessageContaining("defaults.timeout").hasMessageContaining("30s, 3m");
    }
}
