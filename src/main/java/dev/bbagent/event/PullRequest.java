package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pull request as of the event.
 *
 * @param state lower case: open, merged, declined, superseded
 */
public record PullRequest(
        long id,
        String title,
        String description,
        String state,
        boolean draft,
        Ref source,
        Ref destination,
        Person author,
        String url) {

    public PullRequest {
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        state = state == null ? "" : state;
        source = Objects.requireNonNullElse(source, Ref.NONE);
        destination = Objects.requireNonNullElse(destination, Ref.NONE);
        author = Objects.requireNonNullElse(author, Person.UNKNOWN);
        url = url == null ? "" : url;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("description", description);
        m.put("state", state);
        m.put("draft", draft);
        m.put("source", source.toMap());
        m.put("destination", destination.toMap());
        m.put("author", author.toMap());
        m.put("url", url);
        return m;
    }
}
