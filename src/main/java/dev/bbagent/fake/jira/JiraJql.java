package dev.bbagent.fake.jira;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of JQL the fake understands: clauses joined by {@code AND}, each {@code field = value},
 * {@code field != value}, {@code field in (a, b)} or {@code field ~ text}, over project, key, status, type,
 * priority, labels, assignee, reporter ({@code currentUser()}, {@code EMPTY}), summary and text; then an optional
 * {@code ORDER BY created|key|updated [ASC|DESC]}. Like {@code /rest/api/3/search/jql}, it refuses a query
 * without a restriction.
 */
final class JiraJql {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*(!=|=|~|\\bin\\b|\\bIN\\b)\\s*(\\(.*\\)|\"[^\"]*\"|'[^']*'|\\S+)\\s*");
    private static final Pattern ORDER = Pattern.compile("(?i)\\s*order\\s+by\\s+(\\w+)(\\s+(asc|desc))?\\s*$");

    private JiraJql() {}

    /** The matching issues in order. */
    static List<JiraModel.Issue> run(String jql, List<JiraModel.Issue> all, JiraUser caller) {
        String query = jql == null ? "" : jql.strip();
        Comparator<JiraModel.Issue> order = Comparator.comparingLong(i -> -i.id);
        int orderAt = indexOfOrderBy(query);
        if (orderAt >= 0) {
            Matcher m = ORDER.matcher(query.substring(orderAt));
            if (!m.matches()) {
                throw JiraApiError.of(400, "Error in the JQL Query: the ORDER BY clause is not understood.");
            }
            order = comparator(m.group(1), m.group(3) == null || !m.group(3).equalsIgnoreCase("asc"));
            query = query.substring(0, orderAt).strip();
        }
        if (query.isEmpty()) {
            throw JiraApiError.of(400, "Unbounded JQL queries are not allowed here. Please add a search restriction "
                    + "to your query.");
        }
        Predicate<JiraModel.Issue> filter = i -> true;
        for (String clause : query.split("(?i)\\s+and\\s+")) {
            filter = filter.and(clause(clause, caller));
        }
        List<JiraModel.Issue> out = new ArrayList<>(all.stream().filter(filter).toList());
        out.sort(order);
        return out;
    }

    private static int indexOfOrderBy(String q) {
        Matcher m = Pattern.compile("(?i)\\border\\s+by\\b").matcher(q);
        return m.find() ? m.start() : -1;
    }

    private static Comparator<JiraModel.Issue> comparator(String field, boolean descending) {
        Comparator<JiraModel.Issue> c = switch (field.toLowerCase(Locale.ROOT)) {
            case "created", "key", "id", "issuekey" -> Comparator.comparingLong(i -> i.id);
            case "updated" -> Comparator.comparing(i -> i.updated);
            default -> throw JiraApiError.of(400, "Field '" + field + "' does not exist or you do not have permission "
                    + "to view it.");
        };
        return descending ? c.reversed() : c;
    }

    private static Predicate<JiraModel.Issue> clause(String text, JiraUser caller) {
        Matcher m = CLAUSE.matcher(text);
        if (!m.matches()) {
            throw JiraApiError.of(400, "Error in the JQL Query: '" + text.strip() + "' is not a clause the fake "
                    + "understands (field = value, field in (a, b), field ~ text).");
        }
        String field = m.group(1).toLowerCase(Locale.ROOT);
        String op = m.group(2).toLowerCase(Locale.ROOT);
        List<String> values = values(m.group(3), caller);
        if (op.equals("~")) {
            String needle = values.getFirst().toLowerCase(Locale.ROOT);
            return switch (field) {
                case "summary" -> i -> i.summary.toLowerCase(Locale.ROOT).contains(needle);
                case "text" -> i -> (i.summary + " " + i.view().descriptionText()).toLowerCase(Locale.ROOT).contains(needle);
                default -> throw JiraApiError.of(400, "The operator '~' is not supported by the '" + field + "' field.");
            };
        }
        Predicate<JiraModel.Issue> in = i -> values.stream().anyMatch(v -> matches(field, i, v));
        return op.equals("!=") ? in.negate() : in;
    }

    private static boolean matches(String field, JiraModel.Issue i, String v) {
        return switch (field) {
            case "project" -> i.project.key.equalsIgnoreCase(v) || i.project.name.equalsIgnoreCase(v);
            case "key", "issuekey", "issue" -> i.key.equalsIgnoreCase(v);
            case "status" -> i.status.name().equalsIgnoreCase(v);
            case "type", "issuetype" -> i.type.equalsIgnoreCase(v);
            case "priority" -> i.priority.equalsIgnoreCase(v);
            case "labels" -> i.labels.stream().anyMatch(l -> l.equalsIgnoreCase(v));
            case "assignee" -> v.equals("EMPTY") ? i.assignee == null : i.assignee != null
                    && (i.assignee.accountId().equals(v) || i.assignee.displayName().equalsIgnoreCase(v));
            case "reporter" -> i.reporter != null
                    && (i.reporter.accountId().equals(v) || i.reporter.displayName().equalsIgnoreCase(v));
            default -> throw JiraApiError.of(400, "Field '" + field + "' does not exist or you do not have permission "
                    + "to view it.");
        };
    }

    private static List<String> values(String raw, JiraUser caller) {
        String s = raw.strip();
        List<String> parts = new ArrayList<>();
        if (s.startsWith("(") && s.endsWith(")")) {
            for (String p : s.substring(1, s.length() - 1).split(",")) {
                parts.add(p.strip());
            }
        } else {
            parts.add(s);
        }
        return parts.stream().map(p -> unquote(p, caller)).toList();
    }

    private static String unquote(String p, JiraUser caller) {
        if (p.equalsIgnoreCase("currentUser()")) {
            return caller == null ? "" : caller.accountId();
        }
        if (p.equalsIgnoreCase("empty") || p.equalsIgnoreCase("null")) {
            return "EMPTY";
        }
        if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) {
            return p.substring(1, p.length() - 1);
        }
        return p;
    }
}
