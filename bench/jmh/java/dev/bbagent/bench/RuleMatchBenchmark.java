package dev.bbagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.rules.CompiledRules;
import dev.bbagent.rules.Matcher;
import dev.bbagent.rules.RulesLoader;
import dev.bbagent.webhook.BitbucketEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching cost per delivery: one real Cloud pull request event against N rules. A quarter of the rules
 * listen to the event and have a CEL condition (half true, half false), a quarter listen with a repos
 * glob, and half listen to other events (rejected on {@code on}), which is the mix a large file has.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RuleMatchBenchmark {

    @Param({"200"})
    int rules;

    CompiledRules compiled;
    Event event;

    @Setup
    public void setup() throws Exception {
        StringBuilder y = new StringBuilder("version: 1\nrules:\n");
        for (int i = 0; i < rules; i++) {
            switch (i % 4) {
                case 0 -> y.append("  - {name: r").append(i).append(", on: [pull_request.opened], prompt: \"x {{pull_request.title}}\",")
                        .append(" if: '!pull_request.draft && pull_request.destination.branch in [\"main\", \"master\"]'}\n");
                case 1 -> y.append("  - {name: r").append(i).append(", on: [pull_request.opened], prompt: x,")
                        .append(" if: 'pull_request.title.contains(\"WIP\") || actor.name == \"nobody\"'}\n");
                case 2 -> y.append("  - {name: r").append(i).append(", on: [pull_request.opened, \"pullrequest:updated\"], prompt: x,")
                        .append(" repos: [\"amuniz/*\", \"acme/widgets\"], branches: [master, \"release/*\"]}\n");
                default -> y.append("  - {name: r").append(i).append(", on: [pull_request.comment_created, issue.created], prompt: x}\n");
            }
        }
        RulesLoader.Loaded l = RulesLoader.load("bench.yaml", y.toString(), Map.of());
        if (!l.ok()) {
            throw new IllegalStateException(l.report());
        }
        compiled = l.rules();
        byte[] body = Files.readAllBytes(Path.of("../shared/fixtures/bitbucket/cloud/pullrequest-created__bbs-plugin.json"));
        event = BitbucketEvents.parse(Edition.CLOUD, "pullrequest:created", "bench", new ObjectMapper().readTree(body));
        long matched = Matcher.evaluate(compiled, Set.of(), event).stream().filter(Matcher.Decision::matched).count();
        if (matched != rules / 4 + rules / 4) {
            throw new IllegalStateException("unexpected matches: " + matched);
        }
    }

    /** Everything intake does with the rules for one delivery. */
    @Benchmark
    public List<Matcher.Decision> matchOneDelivery() {
        return Matcher.evaluate(compiled, Set.of(), event);
    }
}
