package dev.bbagent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL in the deployment files: every dashboard panel query and every alert expression. */
public final class Queries {

    public static final Path DASHBOARD = Tools.ROOT.resolve("deploy/grafana/dashboards/bbagent.json");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Metric names in an expression: bbagent's own and the JVM/process ones it exports, and Prometheus' up. */
    private static final Pattern METRIC = Pattern.compile(
            "(?<![\\w\"])((?:bbagent|jvm|process|system|hikaricp|resilience4j)_[a-z0-9_]+|up)(?!\\w|\\s*\\()");
    private static final Pattern COMPARISON = Pattern.compile("==|!=|>=|<=|>|<");
    private static final Pattern NUMBER = Pattern.compile("(bool\\s+)?[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private Queries() {}

    /** One query: where it comes from (panel title and refId, or alert name) and its PromQL. */
    public record Query(String source, String expr) {}

    /** Every target of every panel, rows and collapsed rows included. */
    public static List<Query> dashboard() throws IOException {
        List<Query> out = new ArrayList<>();
        collect(JSON.readTree(DASHBOARD.toFile()).path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query("panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(),
                        t.path("expr").asText()));
            }
            collect(p.path("panels"), out);
        }
    }

    /** The dashboard's template variable names ({@code $instance}, {@code $rule}...). */
    public static Set<String> dashboardVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode v : JSON.readTree(DASHBOARD.toFile()).path("templating").path("list")) {
            names.add(v.path("name").asText());
        }
        return names;
    }

    /** Every alert rule's expression in deploy/prometheus/alerts.yml. */
    public static List<Query> alerts() throws IOException {
        List<Query> out = new ArrayList<>();
        for (JsonNode g : YAML.readTree(PrometheusServer.ALERTS.toFile()).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (r.has("alert")) {
                    out.add(new Query("alert " + r.path("alert").asText(), r.path("expr").asText().strip()));
                }
            }
        }
        return out;
    }

    /**
     * The query Grafana would send, with what Grafana substitutes: {@code $__rate_interval} and {@code $__interval}
     * become a window, {@code $__range} the time range, and every template variable "All" ({@code .*}, the
     * variables' allValue). Fails on a variable the dashboard does not define.
     */
    public static String substitute(String expr, Set<String> variables) {
        String s = expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s").replace("${__interval}", "15s")
                .replace("$__range", "5m").replace("${__range}", "5m");
        for (String v : variables) {
            s = s.replace("${" + v + "}", ".*").replace("[[" + v + "]]", ".*")
                    .replaceAll("\\$" + Pattern.quote(v) + "\\b", ".*");
        }
        if (s.contains("$")) {
            throw new AssertionError("a variable the dashboard does not define is left in: " + s);
        }
        return s;
    }

    /**
     * The value an alert compares: the expression without its last top-level comparison with a number
     * ({@code x > 0} gives {@code x}), and the inside of {@code absent(x)}. An alert's condition is usually false
     * in a test, and then the whole expression returns nothing whether or not its metrics exist; its value
     * expression returns a series exactly when every metric it reads is exported.
     */
    public static String valueExpression(String expr) {
        String e = expr.strip();
        Matcher absent = Pattern.compile("(?s)^absent\\((.*)\\)$").matcher(e);
        if (absent.matches()) {
            return absent.group(1).strip();
        }
        int cut = lastTopLevelComparison(e);
        if (cut < 0) {
            return e;
        }
        Matcher op = COMPARISON.matcher(e).region(cut, e.length());
        op.lookingAt();
        String right = e.substring(op.end()).strip();
        return NUMBER.matcher(right).matches() ? e.substring(0, cut).strip() : e;
    }

    private static int lastTopLevelComparison(String e) {
        int depth = 0;
        int last = -1;
        boolean quoted = false;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '"' && (i == 0 || e.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && (c == '>' || c == '<' || c == '=' || c == '!')) {
                Matcher m = COMPARISON.matcher(e).region(i, e.length());
                if (m.lookingAt()) {
                    last = i;
                    i = m.end() - 1;
                }
            }
        }
        return last;
    }

    /** The metric names an expression reads. */
    public static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
