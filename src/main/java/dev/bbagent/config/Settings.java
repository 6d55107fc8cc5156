package dev.bbagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Process settings for {@code serve}, resolved once from flags, then environment variables, then
 * defaults (see {@link SettingsLoader}), then frozen. {@link #toString} never shows a secret.
 */
public record Settings(
        String host,
        int port,
        Path dataDir,
        Path rulesFile,
        List<String> webhookSecrets,
        boolean allowUnsigned,
        Optional<String> adminToken,
        int deliveryRetentionDays,
        String dbSync,
        Duration shutdownGrace,
        int workers,
        int maxPerRepo,
        String instanceId,
        String openaiBaseUrl,
        Optional<String> openaiApiKey,
        boolean dryRun,
        int historyDays,
        Duration toolTimeout,
        int toolResultChars,
        int llmAttempts,
        Duration llmBackoff,
        List<String> jiraWebhookSecrets,
        Duration httpIdleTimeout) {

    public Settings {
        webhookSecrets = List.copyOf(webhookSecrets);
        jiraWebhookSecrets = jiraWebhookSecrets == null ? List.of() : List.copyOf(jiraWebhookSecrets);
        if (port < 0 || port > 65535) {
            throw new ConfigException("BBAGENT_PORT must be between 0 and 65535, not " + port);
        }
        if (workers < 1) {
            throw new ConfigException("BBAGENT_WORKERS must be at least 1, not " + workers);
        }
        if (maxPerRepo < 0) {
            throw new ConfigException("BBAGENT_MAX_PER_REPO must be 0 (no limit) or more, not " + maxPerRepo);
        }
        if (historyDays < 1) {
            throw new ConfigException("BBAGENT_HISTORY_DAYS must be at least 1, not " + historyDays);
        }
        if (llmAttempts < 1) {
            throw new ConfigException("BBAGENT_LLM_ATTEMPTS must be at least 1, not " + llmAttempts);
        }
        if (toolResultChars < 100) {
            throw new ConfigException("BBAGENT_TOOL_RESULT_CHARS must be at least 100, not " + toolResultChars);
        }
        if (deliveryRetentionDays < 1) {
            throw new ConfigException("BBAGENT_DELIVERY_RETENTION_DAYS must be at least 1, not " + deliveryRetentionDays);
        }
        httpIdleTimeout = httpIdleTimeout == null ? Duration.ofSeconds(30) : httpIdleTimeout;
        if (httpIdleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException("BBAGENT_HTTP_IDLE_TIMEOUT must be at least 1s, not " + httpIdleTimeout);
        }
    }

    /** Settings for tests and embedded use: loopback, a free port, one secret. */
    public static Settings forTests(Path dataDir, Path rulesFile, String secret) {
        return new Settings("127.0.0.1", 0, dataDir, rulesFile, secret == null ? List.of() : List.of(secret),
                secret == null, Optional.of("test-admin-token"), 30, "full", Duration.ofSeconds(5), 4, 0, "test",
                "http://127.0.0.1:9/v1", Optional.of("test-key"), false, 90, Duration.ofSeconds(30), 20_000, 3,
                Duration.ofMillis(20), List.of(), Duration.ofSeconds(30));
    }

    /**
     * Whether unsigned deliveries are accepted: only with the explicit opt-in and no webhook secret of any kind
     * (Bitbucket or Jira), so a secret set for one route never leaves the other open.
     */
    public boolean unsignedAllowed() {
        return allowUnsigned && webhookSecrets.isEmpty() && jiraWebhookSecrets.isEmpty();
    }

    /** The Jira webhook secrets ({@code JIRA_WEBHOOK_SECRET}). */
    public Settings withJiraSecrets(List<String> secrets) {
        return new Settings(host, port, dataDir, rulesFile, webhookSecrets, allowUnsigned, adminToken,
                deliveryRetentionDays, dbSync, shutdownGrace, workers, maxPerRepo, instanceId, openaiBaseUrl, openaiApiKey,
                dryRun, historyDays, toolTimeout, toolResultChars, llmAttempts, llmBackoff, secrets, httpIdleTimeout);
    }

    public Settings withPort(int newPort) {
        return copy(newPort, webhookSecrets, adminToken, workers, shutdownGrace, openaiBaseUrl, dryRun);
    }

    public Settings withAdminToken(Optional<String> token) {
        return copy(port, webhookSecrets, token, workers, shutdownGrace, openaiBaseUrl, dryRun);
    }

    public Settings withSecrets(List<String> secrets) {
        return copy(port, secrets, adminToken, workers, shutdownGrace, openaiBaseUrl, dryRun);
    }

    public Settings withWorkers(int newWorkers, Duration grace) {
        return copy(port, webhookSecrets, adminToken, newWorkers, grace, openaiBaseUrl, dryRun);
    }

    /** The model API to call (tests point it at a fake). */
    public Settings withOpenAi(String baseUrl) {
        return copy(port, webhookSecrets, adminToken, workers, shutdownGrace, baseUrl, dryRun);
    }

    /** How long an HTTP connection may send nothing ({@code BBAGENT_HTTP_IDLE_TIMEOUT}). */
    public Settings withHttpIdleTimeout(Duration idle) {
        return new Settings(host, port, dataDir, rulesFile, webhookSecrets, allowUnsigned, adminToken,
                deliveryRetentionDays, dbSync, shutdownGrace, workers, maxPerRepo, instanceId, openaiBaseUrl, openaiApiKey,
                dryRun, historyDays, toolTimeout, toolResultChars, llmAttempts, llmBackoff, jiraWebhookSecrets, idle);
    }

    public Settings withDryRun(boolean dry) {
        return copy(port, webhookSecrets, adminToken, workers, shutdownGrace, openaiBaseUrl, dry);
    }

    private Settings copy(int p, List<String> secrets, Optional<String> token, int w, Duration grace, String baseUrl,
            boolean dry) {
        return new Settings(host, p, dataDir, rulesFile, secrets, allowUnsigned, token, deliveryRetentionDays, dbSync,
                grace, w, maxPerRepo, instanceId, baseUrl, openaiApiKey, dry, historyDays, toolTimeout, toolResultChars,
                llmAttempts, llmBackoff, jiraWebhookSecrets, httpIdleTimeout);
    }

    @Override
    public String toString() {
        return "Settings[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", rulesFile=" + rulesFile
                + ", webhookSecrets=" + webhookSecrets.size() + " configured, allowUnsigned=" + allowUnsigned
                + ", adminToken=" + (adminToken.isPresent() ? "set" : "unset") + ", deliveryRetentionDays="
                + deliveryRetentionDays + ", dbSync=" + dbSync + ", shutdownGrace=" + shutdownGrace + ", workers=" + workers
                + ", maxPerRepo=" + maxPerRepo + ", instanceId=" + instanceId + ", openaiBaseUrl=" + openaiBaseUrl
                + ", openaiApiKey=" + (openaiApiKey.isPresent() ? "set" : "unset") + ", dryRun=" + dryRun
                + ", historyDays=" + historyDays + ", toolTimeout=" + toolTimeout + ", toolResultChars="
                + toolResultChars + ", llmAttempts=" + llmAttempts + ", llmBackoff=" + llmBackoff
                + ", jiraWebhookSecrets=" + jiraWebhookSecrets.size() + " configured, httpIdleTimeout=" + httpIdleTimeout
                + "]";
    }
}
