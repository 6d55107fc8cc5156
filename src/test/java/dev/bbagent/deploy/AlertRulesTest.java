package dev.bbagent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus: promtool accepts the configuration and the alert rules, the alert unit tests pass, every
 * alert is tested firing and quiet, and every alert carries its annotations and a runbook section that
 * exists in docs/operations.md. (MonitoringTest runs them against a live bbagent.)
 */
class AlertRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path PROMETHEUS = Tools.ROOT.resolve("deploy/prometheus");
    private static final Path OPERATIONS = Tools.ROOT.resolve("docs/operations.md");
    private static final String INSTALL = "apt-get install prometheus; .ci/packages.sh does it in CI";

    private static void promtool(String... args) {
        Path promtool = Tools.require("promtool", INSTALL);
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));

        Tools.Result r = Tools.run(Tools.ROOT, Duration.ofSeconds(60), null, command);

        assertThat(r.exit()).as(r.describe(command)).isZero();
    }

    @Test
    void promtoolAcceptsThePrometheusConfigurationWithItsRuleFile() {
        promtool("check", "config", "deploy/prometheus/prometheus.yml");
    }

    @Test
    void promtoolAcceptsTheAlertRules() {
        promtool("check", "rules", "deploy/prometheus/alerts.yml");
    }

    @Test
    void theAlertUnitTestsPass() {
        promtool("test", "rules", "deploy/prometheus/alerts.test.yml");
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() throws IOException {
        Set<String> alerts = alertNames();
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : YAML.readTree(PROMETHEUS.resolve("alerts.test.yml").toFile()).path("tests")) {
            for (JsonNode eval : test.path("alert_rule_test")) {
                String name = eval.path("alertname").asText();
                (eval.path("exp_alerts").isEmpty() ? quiet : fires).add(name);
            }
        }

        assertThat(fires).as("alerts with a test where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a test where they do not fire").containsAll(alerts);
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = anchors(Files.readString(OPERATIONS));
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            JsonNode a = rule.path("annotations");
            if (!Set.of("critical", "warning", "info").contains(rule.path("labels").path("severity").asText())) {
                problems.add(name + ": severity must be critical, warning or info");
            }
            for (String key : List.of("summary", "description", "runbook_url")) {
                if (a.path(key).asText().isBlank()) {
                    problems.add(name + ": no " + key);
                }
            }
            String runbook = a.path("runbook_url").asText();
            String expected = "docs/operations.md#" + name.toLowerCase(Locale.ROOT);
            if (!runbook.equals(expected)) {
                problems.add(name + ": runbook_url should be " + expected + ", is " + runbook);
            } else if (!anchors.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add(name + ": docs/operations.md has no section \"" + name + "\" (anchor #" + name.toLowerCase(Locale.ROOT) + ")");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode g : YAML.readTree(PROMETHEUS.resolve("alerts.yml").toFile()).path("groups")) {
            g.path("rules").forEach(r -> {
                if (r.has("alert")) {
                    out.add(r);
                }
            });
        }
        return out;
    }

    private static Set<String> alertNames() throws IOException {
        Set<String> names = new TreeSet<>();
        rules().forEach(r -> names.add(r.path("alert").asText()));
        return names;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
        while (m.find()) {
            out.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return out;
    }
}
