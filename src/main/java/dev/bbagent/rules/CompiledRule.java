package dev.bbagent.rules;

import java.util.List;
import java.util.Set;

/**
 * One rule, validated and compiled: ready to match events and render prompts. Immutable.
 *
 * @param line the line of the rule in its file
 * @param on raw event keys and normalized kinds that trigger it
 * @param condition null when the rule has no {@code if}
 * @param instructions null when the rule has none
 */
public record CompiledRule(
        String name,
        int line,
        boolean enabled,
        Set<String> on,
        CelCondition condition,
        List<String> repoGlobs,
        List<Glob> repos,
        List<String> branchGlobs,
        List<Glob> branches,
        PromptTemplate prompt,
        PromptTemplate instructions,
        RunSettings settings) {

    public CompiledRule {
        on = Set.copyOf(on);
        repoGlobs = List.copyOf(repoGlobs);
        repos = List.copyOf(repos);
        branchGlobs = List.copyOf(branchGlobs);
        branches = List.copyOf(branches);
    }

    /** The prompt rendered for an event view ({@link dev.bbagent.event.Event#toMap}). */
    public String renderPrompt(java.util.Map<String, Object> view) {
        return prompt.render(view);
    }

    /** The instructions (system prompt) rendered for an event view; empty when the rule has none. */
    public String renderInstructions(java.util.Map<String, Object> view) {
        return instructions == null ? "" : instructions.render(view);
    }

    /** The {@code if} expression as written, or null. */
    public String conditionSource() {
        return condition == null ? null : condition.source();
    }
}
