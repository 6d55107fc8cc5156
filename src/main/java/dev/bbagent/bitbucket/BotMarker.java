package dev.bbagent.bitbucket;

import dev.bbagent.tools.ToolError;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The hidden marker that ties a bot comment to a key: a Markdown link reference definition on the comment's
 * first line, {@code [//]: # (bbagent:key=pr-review-hints)}, followed by a blank line.
 *
 * <p>Why this form: Bitbucket Cloud renders comments with Python-Markdown and escapes raw HTML, so the usual
 * {@code <!-- marker -->} shows up as literal text (pr-agent issue #3283, terraform-docs #463). A link reference
 * definition that nothing references is consumed by the parser and renders to nothing, in Python-Markdown and
 * in CommonMark alike, while {@code content.raw} keeps it byte for byte for the next run to find. It sits first,
 * so it can never land inside an unclosed code fence of the text, and a blank line follows it, so it cannot join
 * the first paragraph (a definition cannot interrupt a paragraph in CommonMark). The key is percent-encoded
 * outside {@code [A-Za-z0-9._~:@-]}, so a {@code )} or a newline cannot end the marker early.
 */
final class BotMarker {

    static final int MAX_KEY_LENGTH = 100;
    private static final Pattern ANY_MARKER = Pattern.compile("(?m)^[ ]{0,3}\\[//\\]: # \\(bbagent:key=[^)\\n]*\\)[ \\t]*\\n?");

    private BotMarker() {}

    /** The marker line for a key. */
    static String marker(String key) {
        if (key == null || key.isBlank()) {
            throw new ToolError("key must not be blank; use the rule name, e.g. \"pr-review-hints\"");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new ToolError("key must be at most " + MAX_KEY_LENGTH + " characters");
        }
        return "[//]: # (bbagent:key=" + encode(key.strip()) + ")";
    }

    /** The comment text to post: the marker, a blank line, then the text without any marker it already had. */
    static String mark(String content, String key) {
        return marker(key) + "\n\n" + ANY_MARKER.matcher(content).replaceAll("").strip();
    }

    /** Whether a comment's raw text carries the marker of this key on a line of its own. */
    static boolean carries(String raw, String key) {
        String wanted = marker(key);
        return raw != null && raw.lines().anyMatch(line -> line.strip().equals(wanted));
    }

    private static String encode(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "._~:@-".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
