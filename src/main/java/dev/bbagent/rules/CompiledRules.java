package dev.bbagent.rules;

import dev.bbagent.config.RulesFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version of the rules file, validated and compiled. Immutable: a reload builds a new one and swaps
 * it in whole, and jobs keep pointing at the version they were matched with.
 *
 * @param version a content hash of the file text
 * @param text the file text, kept so a job can be run with exactly the rules it matched
 */
public record CompiledRules(
        String file,
        String version,
        String text,
        List<CompiledRule> rules,
        Map<String, RulesFile.McpServer> servers,
        Set<String> botAccountIds,
        Map<String, RulesFile.Price> pricing,
        RulesFile.Budget budget,
        Map<String, String> jiraProjects,
        CompiledRule chat) {

    public CompiledRules {
        rules = List.copyOf(rules);
        servers = Map.copyOf(servers);
        botAccountIds = Set.copyOf(botAccountIds);
        pricing = Map.copyOf(pricing);
        jiraProjects = Map.copyOf(jiraProjects);
    }

    public Optional<CompiledRule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public long enabledCount() {
        return rules.stream().filter(CompiledRule::enabled).count();
    }
}
