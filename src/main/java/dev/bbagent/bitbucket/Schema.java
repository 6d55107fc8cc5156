package dev.bbagent.bitbucket;

import dev.bbagent.tools.ToolSchema;
import java.util.Map;

/**
 * The arguments many Bitbucket tools share, named and explained as in Bitbucket's API, so every tool describes
 * {@code workspace} or {@code pull_request_id} the same way; {@link ToolSchema} builds the schemas.
 */
final class Schema {

    private Schema() {}

    static Map<String, Object> workspace() {
        return ToolSchema.string("Workspace slug (or its UUID in braces): the first part of the repository's full name, "
                + "e.g. \"acme\" in acme/widgets.");
    }

    static Map<String, Object> repoSlug() {
        return ToolSchema.string("Repository slug: the second part of the repository's full name, e.g. \"widgets\" in "
                + "acme/widgets.");
    }

    static Map<String, Object> pullRequestId() {
        return ToolSchema.id("Pull request id (the number in #12), unique within the repository.");
    }

    static Map<String, Object> limit(String items, int byDefault, int maximum) {
        return ToolSchema.integer("Maximum number of " + items + " to return (default " + byDefault + ", at most " + maximum
                + "). The result says how many exist.", 1, maximum, byDefault);
    }

    /** Schema for tools on one repository. */
    static ToolSchema repository() {
        return ToolSchema.object().required("workspace", workspace()).required("repo_slug", repoSlug());
    }

    /** Schema for tools on one pull request. */
    static ToolSchema pullRequest() {
        return repository().required("pull_request_id", pullRequestId());
    }
}
