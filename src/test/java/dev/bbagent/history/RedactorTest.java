package dev.bbagent.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor r = new Redactor(List.of("my-webhook-secret", "abc"));

    @Test
    void configuredSecretsAreMaskedAndShortValuesIgnored() {
        assertThat(r.redact("secret my-webhook-secret here; abc stays")).isEqualTo("secret [REDACTED] here; abc stays");
    }

    @Test
    void credentialShapesAreMaskedWhereverTheyAppear() {
        assertThat(r.redact("Authorization: Basic dXNlcjpwYXNzd29yZA==")).isEqualTo("Authorization: [REDACTED]");
        assertThat(r.redact("curl -H 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig'")).contains("[REDACTED]")
                .doesNotContain("eyJhbGciOiJIUzI1NiJ9");
        assertThat(r.redact("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz")).doesNotContain("abcdefghijklmnop");
        assertThat(r.redact("token ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz")).isEqualTo("token [REDACTED]");
        assertThat(r.redact("{\"x-api-key\": \"ck-123456789\"}")).isEqualTo("{\"x-api-key\": \"[REDACTED]\"}");
        assertThat(r.redact("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).isEqualTo("[REDACTED]");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "max_tokens: 200000, the tokens were counted; see https://bitbucket.org/acme/widgets";
        assertThat(r.redact(text)).isEqualTo(text);
    }

    @Test
    void newSecretsCanBeAddedAfterAReload() {
        r.use(List.of("rotated-key-123"));
        assertThat(r.redact("rotated-key-123 and my-webhook-secret")).isEqualTo("[REDACTED] and my-webhook-secret");
    }
}
