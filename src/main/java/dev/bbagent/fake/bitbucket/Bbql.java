package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subset of Bitbucket's query language for {@code q=}: comparisons {@code field.path OP value} with
 * {@code = != ~ !~ > >= < <=}, joined by {@code AND}/{@code OR} and parentheses; values are double-quoted
 * strings, numbers, {@code true}, {@code false} or {@code null}. {@code ~} is a case-insensitive "contains".
 * Anything else is a 400, as Bitbucket answers an unparsable query.
 */
final class Bbql {

    private enum Kind { OPEN, CLOSE, OP, STRING, NUMBER, WORD }

    private record Token(Kind kind, String text) {}

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:(\\()|(\\))|(!=|!~|>=|<=|=|~|>|<)"
            + "|\"((?:[^\"\\\\]|\\\\.)*)\"|([A-Za-z_][A-Za-z0-9_.]*)|(-?\\d+(?:\\.\\d+)?))");

    private final String query;
    private final List<Token> tokens;
    private int pos;

    private Bbql(String query) {
        this.query = query;
        this.tokens = tokenize(query);
    }

    static <T extends JsonNode> List<T> filter(List<T> values, String q) {
        if (q == null || q.isBlank()) {
            return values;
        }
        Bbql parser = new Bbql(q);
        Predicate<JsonNode> predicate = parser.or();
        if (parser.pos != parser.tokens.size()) {
            throw parser.invalid();
        }
        return values.stream().filter(predicate).toList();
    }

    private Predicate<JsonNode> or() {
        Predicate<JsonNode> left = and();
        while (keyword("OR")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<JsonNode> and() {
        Predicate<JsonNode> left = term();
        while (keyword("AND")) {
            left = left.and(term());
        }
        return left;
    }

    private Predicate<JsonNode> term() {
        Token t = next();
        if (t.kind() == Kind.OPEN) {
            Predicate<JsonNode> inner = or();
            if (next().kind() != Kind.CLOSE) {
                throw invalid();
            }
            return inner;
        }
        Token op = next();
        Token value = next();
        if (t.kind() != Kind.WORD || op.kind() != Kind.OP) {
            throw invalid();
        }
        String[] path = t.text().split("\\.");
        return switch (value.kind()) {
            case STRING, NUMBER -> node -> matches(Json.at(node, path), op.text(), value.text());
            case WORD -> literal(path, op.text(), value.text());
            default -> throw invalid();
        };
    }

    private Predicate<JsonNode> literal(String[] path, String op, String word) {
        boolean equals = op.equals("=");
        if (!equals && !op.equals("!=")) {
            throw invalid();
        }
        return switch (word) {
            case "null" -> node -> (Json.at(node, path) == null) == equals;
            case "true", "false" -> node -> {
                JsonNode n = Json.at(node, path);
                return (n != null && n.asText().equals(word)) == equals;
            };
            default -> throw invalid();
        };
    }

    private static boolean matches(JsonNode actual, String op, String literal) {
        String have = actual == null ? null : actual.asText();
        return switch (op) {
            case "=" -> literal.equals(have);
            case "!=" -> !literal.equals(have);
            case "~" -> have != null && contains(have, literal);
            case "!~" -> have == null || !contains(have, literal);
            default -> have != null && ordered(actual, literal, op);
        };
    }

    private static boolean contains(String have, String literal) {
        return have.toLowerCase(Locale.ROOT).contains(literal.toLowerCase(Locale.ROOT));
    }

    private static boolean ordered(JsonNode actual, String literal, String op) {
        int c;
        try {
            c = actual.isNumber() ? Double.compare(actual.asDouble(), Double.parseDouble(literal))
                    : actual.asText().compareTo(literal);
        } catch (NumberFormatException e) {
            return false;
        }
        return switch (op) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            default -> c <= 0;
        };
    }

    private boolean keyword(String word) {
        if (pos < tokens.size() && tokens.get(pos).kind() == Kind.WORD && tokens.get(pos).text().equalsIgnoreCase(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token next() {
        if (pos >= tokens.size()) {
            throw invalid();
        }
        return tokens.get(pos++);
    }

    private ApiError invalid() {
        return ApiError.badRequest("Invalid query: " + query);
    }

    private static List<Token> tokenize(String q) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(q);
        int at = 0;
        while (at < q.length() && !q.substring(at).isBlank()) {
            if (!m.find(at) || m.start() != at) {
                throw ApiError.badRequest("Invalid query: " + q);
            }
            if (m.group(1) != null) {
                out.add(new Token(Kind.OPEN, "("));
            } else if (m.group(2) != null) {
                out.add(new Token(Kind.CLOSE, ")"));
            } else if (m.group(3) != null) {
                out.add(new Token(Kind.OP, m.group(3)));
            } else if (m.group(4) != null) {
                out.add(new Token(Kind.STRING, m.group(4).replaceAll("\\\\(.)", "$1")));
            } else if (m.group(5) != null) {
                out.add(new Token(Kind.WORD, m.group(5)));
            } else {
                out.add(new Token(Kind.NUMBER, m.group(6)));
            }
            at = m.end();
        }
        return out;
    }
}
