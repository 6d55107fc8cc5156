package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BitbucketConfigTest {

    private static final String SECRET = "ATCTT3xFfGN0-super-secret";

    @Test
    void anAccessTokenIsSentAsBearerToTheDefaultApi() {
        BitbucketConfig c = BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET));

        assertThat(c.apiUrl()).hasToString("https://api.bitbucket.org/2.0");
        assertThat(c.auth()).isInstanceOf(BitbucketAuth.AccessToken.class);
        assertThat(c.auth().authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(c.requestsPerHour()).isEqualTo(1_000);
    }

    @Test
    void anEmailAndApiTokenAreSentAsBasic() {
        BitbucketConfig c = BitbucketConfig.fromEnv(Map.of("BITBUCKET_EMAIL", "bot@example.com",
                "BITBUCKET_API_TOKEN", SECRET, "BITBUCKET_API_URL", "http://127.0.0.1:9999/2.0/",
                "BITBUCKET_REQUESTS_PER_HOUR", " 250 "));

        assertThat(c.auth()).isInstanceOf(BitbucketAuth.ApiToken.class);
        String basic = c.auth().authorization();
        assertThat(basic).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("bot@example.com:" + SECRET);
        assertThat(c.apiUrl()).hasToString("http://127.0.0.1:9999/2.0");
        assertThat(c.requestsPerHour()).isEqualTo(250);
    }

    @Test
    void appPasswordsAreRefusedWithWhatToUseInstead() {
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_USERNAME", "bot",
                "BITBUCKET_APP_PASSWORD", SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("removed app passwords on 2026-07-28")
                .hasMessageContaining("BITBUCKET_TOKEN")
                .hasMessageContaining("BITBUCKET_EMAIL and BITBUCKET_API_TOKEN")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_USERNAME", "bot")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("app passwords");
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET,
                "BITBUCKET_APP_PASSWORD", "old")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unset them");
    }

    @Test
    void aLeftoverUserNameNextToANewCredentialIsHarmless() {
        BitbucketConfig c = BitbucketConfig.fromEnv(Map.of("BITBUCKET_USERNAME", "bot", "BITBUCKET_TOKEN", SECRET));

        assertThat(c.auth()).isInstanceOf(BitbucketAuth.AccessToken.class);
    }

    @Test
    void missingIncompleteAndAmbiguousCredentialsAreRefused() {
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no Bitbucket credential")
                .hasMessageContaining("BITBUCKET_TOKEN");
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_API_TOKEN", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("BITBUCKET_EMAIL is missing")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_EMAIL", "bot@example.com")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("BITBUCKET_API_TOKEN is missing");
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET,
                "BITBUCKET_EMAIL", "bot@example.com", "BITBUCKET_API_TOKEN", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set only one")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_EMAIL", "bot",
                "BITBUCKET_API_TOKEN", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("email address");
    }

    @Test
    void badUrlsAndBudgetsAreRefused() {
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET,
                "BITBUCKET_API_URL", "api.bitbucket.org/2.0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BITBUCKET_API_URL");
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET,
                "BITBUCKET_REQUESTS_PER_HOUR", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BITBUCKET_REQUESTS_PER_HOUR");
        assertThatThrownBy(() -> BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET,
                "BITBUCKET_REQUESTS_PER_HOUR", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'lots'");
    }

    @Test
    void noStringFormShowsASecret() {
        BitbucketConfig bearer = BitbucketConfig.fromEnv(Map.of("BITBUCKET_TOKEN", SECRET));
        BitbucketConfig basic = BitbucketConfig.fromEnv(Map.of("BITBUCKET_EMAIL", "bot@example.com",
                "BITBUCKET_API_TOKEN", SECRET));

        for (BitbucketConfig c : new BitbucketConfig[] {bearer, basic}) {
            assertThat(c.toString()).doesNotContain(SECRET);
            assertThat(c.describe()).doesNotContain(SECRET).contains("api.bitbucket.org");
            assertThat(c.auth().toString()).doesNotContain(SECRET);
            assertThat(c.auth().id()).doesNotContain(SECRET);
        }
        assertThat(bearer.describe()).contains("Bearer");
        assertThat(basic.describe()).contains("bot@example.com").contains("Basic");
        assertThat(bearer.auth().id()).isEqualTo(BitbucketAuth.accessToken(SECRET).id())
                .isNotEqualTo(BitbucketAuth.accessToken(SECRET + "2").id());
    }
}
