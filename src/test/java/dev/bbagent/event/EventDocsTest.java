package dev.bbagent.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/events.md must name every field of the event view and every event key bbagent knows. */
class EventDocsTest {

    private static String docs() throws IOException {
        return Files.readString(Path.of("docs/events.md"));
    }

    private static Event fullEvent() {
        Person p = new Person("id", "name", false);
        Repository repo = new Repository("ws", "slug", "ws/slug", "{u}");
        return new Event("pullrequest:comment_created", "pull_request.comment_created", Edition.CLOUD, "d", repo, p,
                new PullRequest(1, "t", "d", "open", false, new Ref("a", "b"), new Ref("c", "d"), p, "u"),
                new Issue("7", "t", "d", "new", "bug", "major", p, p, List.of("x"), "u"),
                new Comment(3, "hi", "a.txt", 4, 2, p), null, JsonNodeFactory.instance.objectNode());
    }

    @SuppressWarnings("unchecked")
    private static void paths(String prefix, Map<String, Object> map, List<String> out) {
        for (var e : map.entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !e.getKey().equals("payload")) {
                paths(name, (Map<String, Object>) m, out);
            } else {
                out.add(name);
            }
        }
    }

    @Test
    void everyFieldOfTheEventViewIsDocumented() throws IOException {
        List<String> fields = new ArrayList<>();
        paths("", fullEvent().toMap(true), fields);
        String docs = docs();

        for (String field : fields) {
            String leaf = field.replaceFirst("\\.(id|name|is_bot)$", "");
            boolean person = !leaf.equals(field) && (leaf.endsWith("author") || leaf.endsWith("assignee") || leaf.equals("actor"));
            assertThat(docs).as(field).contains(person ? "`" + leaf + "." : "`" + field + "`");
        }
    }

    @Test
    void everyKnownEventKeyIsDocumented() throws IOException {
        String docs = docs();

        for (String key : EventKinds.allKeys()) {
            if (!key.startsWith("jira:") && !key.startsWith("comment_")) {
                assertThat(docs).as(key).contains("`" + key + "`");
            }
        }
        for (String kind : EventKinds.allKinds()) {
            if (!kind.equals("issue.deleted") && !kind.equals("issue.comment_updated") && !kind.equals("issue.comment_deleted")) {
                assertThat(docs).as(kind).contains("`" + kind + "`");
            }
        }
    }
}
