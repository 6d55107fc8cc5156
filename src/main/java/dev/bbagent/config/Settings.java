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
        String instanceId) {

    public Settings {
        webhookSecrets = List.copyOf(webhookSecrets);
        if (port < 0 || port > 65535) {
            throw new ConfigException("BBAGENT_PORT must be between 0 and 65535, not " + port);
        }
        if (workers < 1) {
            throw new ConfigException("BBAGENT_WORKERS must be at least 1, not " + workers);
        }
        if (maxPerRepo < 0) {
            throw new ConfigException("BBAGENT_MAX_PER_REPO must be 0 (no limit) or more, not " + maxPerRepo);
        }
        if (deliveryRetentionDays < 1) {
            throw new ConfigException("BBAGENT_DELIVERY_RETENTION_DAYS must be at least 1, not " + deliveryRetentionDays);
        }
    }

    /** Settings for tests and embedded use: loopback, a free port, one secret. */
    public static Settings forTests(Path dataDir, Path rulesFile, String secret) {
        return new Settings("127.0.0.1", 0, dataDir, rulesFile, secret == null ? List.of() : List.of(secret),
                secret == null, Optional.of("test-admin-token"), 30, "full", Duration.ofSeconds(5), 4, 0, "test");
    }

    public Settings withPort(int newPort) {
        return new Settings(host, newPort, dataDir, rulesFile, webhookSecrets, allowUnsigned, adminToken,
                deliveryRetentionDays, dbSync, shutdownGrace, workers, maxPerRepo, instanceId);
    }

    public Settings withAdminToken(Optional<String> token) {
        return new Settings(host, port, dataDir, rulesFile, webhookSecrets, allowUnsigned, token,
                deliveryRetentionDays, dbSync, shutdownGrace, workers, maxPerRepo, instanceId);
    }

    public Settings withSecrets(List<String> secrets) {
        return new Settings(host, port, dataDir, rulesFile, secrets, allowUnsigned, adminToken,
                deliveryRetentionDays, dbSync, shutdownGrace, workers, maxPerRepo, instanceId);
    }

    public Settings withWorkers(int newWorkers, Duration grace) {
        return new Settings(host, port, dataDir, rulesFile, webhookSecrets, allowUnsigned, adminToken,
                deliveryRetentionDays, dbSync, grace, newWorkers, maxPerRepo, instanceId);
    }

    @Override
    public String toString() {
        return "Settings[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", rulesFile=" + rulesFile
                + ", webhookSecrets=" + webhookSecrets.size() + " configured, allowUnsigned=" + allowUnsigned
                + ", adminToken=" + (adminToken.isPresent() ? "set" : "unset") + ", deliveryRetentionDays="
                + deliveryRetentionDays + ", dbSync=" + dbSync + ", shutdownGrace=" + shutdownGrace + ", workers=" + workers
                + ", maxPerRepo=" + maxPerRepo + ", instanceId=" + instanceId + "]";
    }
}
