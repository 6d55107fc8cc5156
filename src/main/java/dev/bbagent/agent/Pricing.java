package dev.bbagent.agent;

import dev.bbagent.agent.llm.LlmReply;
import dev.bbagent.config.RulesFile;
import java.util.Map;

/** Estimated cost from the rules file's {@code pricing} table (USD per million tokens). */
final class Pricing {

    private Pricing() {}

    /** 0 when the model has no price. Cached prompt tokens use {@code cached_input} when given. */
    static double cost(Map<String, RulesFile.Price> table, String model, LlmReply.Usage u) {
        RulesFile.Price p = table.get(model);
        if (p == null) {
            return 0;
        }
        double cachedRate = p.cachedInput() == null ? p.input() : p.cachedInput();
        long uncached = Math.max(0, u.prompt() - u.cached());
        return (uncached * p.input() + u.cached() * cachedRate + u.completion() * p.output()) / 1_000_000.0;
    }
}
