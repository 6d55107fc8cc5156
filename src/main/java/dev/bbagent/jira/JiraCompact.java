package dev.bbagent.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The model-friendly form of Jira's answers: names instead of nested objects, ADF flattened to text, no
 * {@code self} links, avatars or schema noise.
 */
final class JiraCompact {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JiraCompact() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** An issue with its description and the last {@code comments} comments. */
    static ObjectNode issue(JsonNode issue, JiraConfig config, int comments) {
        ObjectNode out = summary(issue, config);
        JsonNode f = issue.path("fields");
        out.set("reporter", person(f.path("reporter")));
        out.put("created", f.path("created").asText(""));
        out.put("description", Adf.toText(f.path("description")));
        JsonNode all = f.path("comment").path("comments");
        if (comments > 0 && all.isArray()) {
            ArrayNode list = out.putArray("comments");
            for (int i = Math.max(0, all.size() - comments); i < all.size(); i++) {
                list.add(comment(all.get(i)));
            }
            int total = f.path("comment").path("total").asInt(all.size());
            out.put("comments_total", total);
            if (total > list.size()) {
                out.put("comments_note", "showing the last " + list.size() + " of " + total + " comments");
            }
        }
        return out;
    }

    /** The fields a search result lists. */
    static ObjectNode summary(JsonNode issue, JiraConfig config) {
        JsonNode f = issue.path("fields");
        ObjectNode out = object();
        String key = issue.path("key").asText("");
        out.put("key", key);
        out.put("url", config.browseUrl(key));
        out.put("summary", f.path("summary").asText(""));
        out.put("status", f.path("status").path("name").asText(""));
        out.put("type", f.path("issuetype").path("name").asText(""));
        out.put("priority", f.path("priority").path("name").asText(""));
        out.put("project", f.path("project").path("key").asText(""));
        out.set("assignee", person(f.path("assignee")));
        ArrayNode labels = out.putArray("labels");
        f.path("labels").forEach(l -> labels.add(l.asText()));
        out.put("updated", f.path("updated").asText(""));
        return out;
    }

    static ObjectNode comment(JsonNode c) {
        ObjectNode out = object();
        out.put("id", c.path("id").asText(""));
        out.set("author", person(c.path("author")));
        out.put("created", c.path("created").asText(""));
        out.put("body", Adf.toText(c.path("body")));
        return out;
    }

    /** {@code {"account_id":..., "name":...}}, or null for nobody (an unassigned issue). */
    static JsonNode person(JsonNode user) {
        if (user == null || user.isNull() || user.isMissingNode()) {
            return NODES.nullNode();
        }
        ObjectNode out = object();
        out.put("account_id", user.path("accountId").asText(user.path("name").asText("")));
        out.put("name", user.path("displayName").asText(""));
        return out;
    }
}
