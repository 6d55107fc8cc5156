package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A comment on a pull request or issue.
 *
 * @param path file path for an inline comment, else empty
 * @param line line in the new file (or the old file when only that is known) for an inline comment, else 0
 * @param parentId the comment this one replies to, else 0
 */
public record Comment(long id, String text, String path, int line, long parentId, Person author) {

    public Comment {
        text = text == null ? "" : text;
        path = path == null ? "" : path;
        author = Objects.requireNonNullElse(author, Person.UNKNOWN);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", text);
        m.put("path", path);
        m.put("line", (long) line);
        m.put("parent_id", parentId);
        m.put("author", author.toMap());
        return m;
    }
}
