package dev.bbagent.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored or logged: every configured secret value (API keys,
 * tokens, webhook secrets, MCP header and env values) and anything shaped like a credential
 * (Authorization values, OpenAI keys, Atlassian API tokens, private keys).
 */
public final class Redactor {

    public static final String MASK = "[REDACTED]";

    /** A credential shape; when {@code keep} is set, its first group (the label) stays readable. */
    private record Shape(Pattern pattern, boolean keep) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("(?i)(authorization\\s*[:=]\\s*\"?)(?:bearer|basic|token|jwt)?\\s*[A-Za-z0-9._~+/=-]{6,}"), true),
            new Shape(Pattern.compile("(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=-]{16,}"), false),
            new Shape(Pattern.compile("\\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{16,}"), false),
            new Shape(Pattern.compile("\\bATATT[A-Za-z0-9_=-]{20,}"), false),
            new Shape(Pattern.compile("\\bATCTT[A-Za-z0-9_=-]{20,}"), false),
            new Shape(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}"), false),
            new Shape(Pattern.compile("(?i)((?:x-api-key|api[_-]?key|client[_-]?secret|password|secret|token)\"?\\s*[:=]\\s*\"?)[^\\s\",}]{6,}"), true),
            new Shape(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"), false));

    private volatile List<String> secrets;

    /** @param secrets exact values to mask; values shorter than 6 characters are ignored (too likely to collide) */
    public Redactor(Collection<String> secrets) {
        use(secrets);
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    /** Mask these values from now on (after a rules reload brought new MCP credentials). */
    public void use(Collection<String> values) {
        List<String> s = new ArrayList<>();
        for (String v : values) {
            if (v != null && v.length() >= 6 && !s.contains(v)) {
                s.add(v);
            }
        }
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        for (Shape shape : SHAPES) {
            var m = shape.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(r -> shape.keep()
                        ? java.util.regex.Matcher.quoteReplacement(r.group(1)) + MASK
                        : MASK);
            }
        }
        return out;
    }
}
