package dev.bbagent.app;

import dev.bbagent.config.RulesFile;
import dev.bbagent.config.Settings;
import dev.bbagent.rules.CompiledRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every configured secret value, so the history and logs can mask them. */
final class Secrets {

    private static final Set<String> ENV_SECRETS = Set.of("OPENAI_API_KEY", "BITBUCKET_TOKEN", "BITBUCKET_API_TOKEN",
            "BITBUCKET_APP_PASSWORD", "JIRA_API_TOKEN", "JIRA_WEBHOOK_SECRET", "COMPOSIO_API_KEY", "BBAGENT_ADMIN_TOKEN",
            "BITBUCKET_WEBHOOK_SECRET");

    private Secrets() {}

    static List<String> of(Settings settings, Map<String, String> env, CompiledRules rules) {
        List<String> out = new ArrayList<>(settings.webhookSecrets());
        out.addAll(settings.jiraWebhookSecrets());
        settings.adminToken().ifPresent(out::add);
        settings.openaiApiKey().ifPresent(out::add);
        for (String name : ENV_SECRETS) {
            String v = env.get(name);
            if (v != null) {
                for (String part : v.split(",")) {
                    out.add(part.trim());
                }
            }
        }
        for (RulesFile.McpServer s : rules.servers().values()) {
            out.addAll(s.headers().values());
            out.addAll(s.env().values());
        }
        return out;
    }
}
