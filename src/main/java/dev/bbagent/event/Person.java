package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Bitbucket or Jira account as it appears in an event: the actor, an author, a commenter.
 *
 * @param id Cloud account id (else the braced uuid), Data Center user slug, or Jira account id
 * @param name display name
 * @param bot true for app users, access-token users and Data Center service accounts
 */
public record Person(String id, String name, boolean bot) {

    public static final Person UNKNOWN = new Person("", "", false);

    public Person {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("is_bot", bot);
        return m;
    }
}
