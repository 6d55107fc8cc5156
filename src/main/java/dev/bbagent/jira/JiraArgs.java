package dev.bbagent.jira;

import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Jira tool call's arguments: {@link ToolArgs} plus issue and project keys; list items are trimmed (labels,
 * components). Every problem is a {@link ToolError} naming the argument, which the model reads and can fix.
 */
final class JiraArgs extends ToolArgs {

    private static final Pattern ISSUE_KEY = Pattern.compile("[A-Z][A-Z0-9_]*-[1-9][0-9]*");
    private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]*");

    JiraArgs(Map<String, Object> values, Set<String> allowed) {
        super(values, allowed);
    }

    /** An issue key such as PROJ-123 (upper-cased). */
    String issueKey(String name) {
        String key = text(name).trim().toUpperCase(Locale.ROOT);
        if (!ISSUE_KEY.matcher(key).matches()) {
            throw new ToolError("argument '" + name + "' must be an issue key such as PROJ-123, not '" + key + "'");
        }
        return key;
    }

    /** A project key such as PROJ (upper-cased). */
    String projectKey(String name) {
        String key = text(name).trim().toUpperCase(Locale.ROOT);
        if (!PROJECT_KEY.matcher(key).matches()) {
            throw new ToolError("argument '" + name + "' must be a project key such as PROJ, not '" + key + "'");
        }
        return key;
    }

    @Override
    public List<String> texts(String name) {
        return super.texts(name).stream().map(String::strip).toList();
    }
}
