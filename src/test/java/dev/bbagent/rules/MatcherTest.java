package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.Person;
import dev.bbagent.event.PullRequest;
import dev.bbagent.event.Ref;
import dev.bbagent.event.Repository;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatcherTest {

    private static CompiledRules rules(String body) {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", "version: 1\nbot: {account_ids: [bot-1]}\nrules:\n" + body, Map.of());
        assertThat(l.problems()).as(l.report()).isEmpty();
        return l.rules();
    }

    private static Event pr(Person actor, String repo, String target, boolean draft) {
        String[] parts = repo.split("/");
        return new Event("pullrequest:created", "pull_request.opened", Edition.CLOUD, "d",
                new Repository(parts[0], parts[1], repo, "{r}"), actor,
                new PullRequest(5, "Fix", "", "open", draft, new Ref("f", "abc"), new Ref(target, "def"), actor, ""),
                null, null, null, JsonNodeFactory.instance.objectNode().put("custom", 41));
    }

    private static final Person ANN = new Person("ann", "Ann", false);

    private static Matcher.Decision decide(CompiledRules r, Event e) {
        List<Matcher.Decision> d = Matcher.evaluate(r, r.botAccountIds(), e);
        return d.getFirst();
    }

    @Test
    void theBotsOwnEventsNeverMatch() {
        CompiledRules r = rules("  - {name: a, on: [pull_request.opened], prompt: x}\n");

        Matcher.Decision d = decide(r, pr(new Person("bot-1", "bbagent", false), "acme/w", "main", false));

        assertThat(d.matched()).isFalse();
        assertThat(d.reason()).contains("bbagent's own account (loop prevention)");
    }

    @Test
    void botActorsMatchOnlyWhenTheRuleOptsIn() {
        CompiledRules r = rules("""
                  - {name: a, on: [pull_request.opened], prompt: x}
                  - {name: b, on: [pull_request.opened], prompt: x, allow_bots: true}
                """);
        Event e = pr(new Person("app-9", "Renovate", true), "acme/w", "main", false);

        List<Matcher.Decision> d = Matcher.evaluate(r, Set.of(), e);

        assertThat(d.get(0).matched()).isFalse();
        assertThat(d.get(0).reason()).contains("is a bot or app; set allow_bots: true");
        assertThat(d.get(1).matched()).isTrue();
    }

    @Test
    void discoveredBotIdsCountToo() {
        CompiledRules r = rules("  - {name: a, on: [pull_request.opened], prompt: x}\n");

        List<Matcher.Decision> d = Matcher.evaluate(r, Set.of("ann"), pr(ANN, "acme/w", "main", false));

        assertThat(d.getFirst().matched()).isFalse();
    }

    @Test
    void rawKeysAndKindsBothTrigger() {
        CompiledRules r = rules("""
                  - {name: raw, on: ["pullrequest:created"], prompt: x}
                  - {name: kind, on: [pull_request.opened], prompt: x}
                  - {name: dc, on: ["pr:opened"], prompt: x}
                """);

        List<Matcher.Decision> d = Matcher.evaluate(r, Set.of(), pr(ANN, "acme/w", "main", false));

        assertThat(d).extracting(Matcher.Decision::matched).containsExactly(true, true, false);
    }

    @Test
    void repoAndBranchGlobsFilter() {
        CompiledRules r = rules("""
                  - {name: a, on: [pull_request.opened], prompt: x, repos: ["acme/*"], branches: ["release/*", main]}
                """);

        assertThat(decide(r, pr(ANN, "acme/w", "main", false)).matched()).isTrue();
        assertThat(decide(r, pr(ANN, "ACME/W", "release/1.2", false)).matched()).isTrue();
        assertThat(decide(r, pr(ANN, "other/w", "main", false)).reason()).contains("not in repos [acme/*]");
        assertThat(decide(r, pr(ANN, "acme/w", "dev", false)).reason()).contains("destination branch dev is not in branches");
    }

    @Test
    void aConditionErrorSkipsOnlyThatRule() {
        CompiledRules r = rules("""
                  - {name: broken, on: [pull_request.opened], prompt: x, if: 'comment.text == "x"'}
                  - {name: fine, on: [pull_request.opened], prompt: x, if: '!pull_request.draft'}
                """);

        List<Matcher.Decision> d = Matcher.evaluate(r, Set.of(), pr(ANN, "acme/w", "main", false));

        assertThat(d.get(0).matched()).isFalse();
        assertThat(d.get(0).error()).isTrue();
        assertThat(d.get(0).reason()).contains("could not be evaluated");
        assertThat(d.get(1).matched()).isTrue();
    }

    @Test
    void hasTellsWhetherASectionIsThere() {
        CompiledRules r = rules("  - {name: a, on: [pull_request.opened], prompt: x, if: '!has(comment.id) && has(pull_request.id)'}\n");

        assertThat(decide(r, pr(ANN, "acme/w", "main", false)).matched()).isTrue();
    }

    @Test
    void conditionsCanReadTheRawPayload() {
        CompiledRules r = rules("  - {name: a, on: [pull_request.opened], prompt: x, if: 'payload.custom == 41'}\n");

        assertThat(decide(r, pr(ANN, "acme/w", "main", false)).matched()).isTrue();
    }

    @Test
    void aDisabledRuleNeverMatches() {
        CompiledRules r = rules("  - {name: a, enabled: false, on: [pull_request.opened], prompt: x}\n");

        assertThat(decide(r, pr(ANN, "acme/w", "main", false)).reason()).isEqualTo("disabled (enabled: false)");
    }
}
