package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.Map;

/** One side of a pull request: a branch and the commit at its head. */
public record Ref(String branch, String commit) {

    public static final Ref NONE = new Ref("", "");

    public Ref {
        branch = branch == null ? "" : branch;
        commit = commit == null ? "" : commit;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("branch", branch);
        m.put("commit", commit);
        return m;
    }
}
