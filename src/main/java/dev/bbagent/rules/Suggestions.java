package dev.bbagent.rules;

import dev.bbagent.config.Suggest;
import dev.bbagent.event.EventFields;
import dev.bbagent.event.EventKinds;
import java.util.ArrayList;
import java.util.List;

/** "did you mean" hints for event fields and event keys. */
final class Suggestions {

    private Suggestions() {}

    static String field(String path) {
        return Suggest.nearest(path, EventFields.all()).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    static String eventKey(String key) {
        List<String> all = new ArrayList<>(EventKinds.allKeys());
        all.addAll(EventKinds.allKinds());
        return Suggest.nearest(key, all).map(s -> "; did you mean '" + s + "'?").orElse("");
    }
}
