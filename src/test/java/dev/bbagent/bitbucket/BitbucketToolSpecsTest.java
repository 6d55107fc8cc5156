package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.mcp.BuiltinToolSource;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.mcp.ToolTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketToolSpecsTest {

    private static final Set<String> SEED = Set.of("create_branch", "create_issue", "create_issue_comment",
            "create_pull_request", "create_repository", "create_snippet_comment", "delete_issue", "delete_repository",
            "get_current_user", "get_file", "get_pull_request", "get_snippet", "list_pull_requests",
            "list_repositories", "list_workspace_members", "list_workspaces", "update_issue");
    private static final Set<String> REVIEW = Set.of("get_pull_request_diff", "get_pull_request_diffstat",
            "list_pull_request_comments", "create_pull_request_comment", "update_pull_request_comment",
            "approve_pull_request", "request_changes", "upsert_bot_comment");
    private static final Set<String> READ_ONLY = Set.of("get_current_user", "get_file", "get_pull_request",
            "get_snippet", "list_pull_requests", "list_repositories", "list_workspace_members", "list_workspaces",
            "get_pull_request_diff", "get_pull_request_diffstat", "list_pull_request_comments");
    private static final Set<String> DESTRUCTIVE = Set.of("delete_repository", "delete_issue", "update_issue",
            "update_pull_request_comment");

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void theSeventeenSeedToolsAndTheReviewToolsAreAllThere() {
        assertThat(f.tools.keySet()).hasSize(SEED.size() + REVIEW.size()).containsAll(SEED).containsAll(REVIEW);
        assertThat(f.tools.keySet()).allMatch(n -> n.matches("^[a-z_]{1,64}$"));
    }

    @Test
    void annotationsSayWhichToolsOnlyReadAndWhichDestroy() {
        Map<String, ToolSpec> specs = f.tools.values().stream().map(BuiltinTool::spec)
                .collect(Collectors.toMap(ToolSpec::name, s -> s));

        assertThat(specs.values().stream().filter(ToolSpec::readOnly).map(ToolSpec::name)).containsExactlyInAnyOrderElementsOf(READ_ONLY);
        assertThat(specs.values().stream().filter(ToolSpec::destructive).map(ToolSpec::name))
                .containsExactlyInAnyOrderElementsOf(DESTRUCTIVE);
        assertThat(specs.get("upsert_bot_comment").destructive()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySchemaIsAClosedObjectWithDescribedRequiredProperties() {
        for (BuiltinTool t : f.tools.values()) {
            Map<String, Object> schema = t.spec().inputSchema();
            assertThat(t.spec().description()).as(t.name()).hasSizeGreaterThan(30);
            assertThat(schema).as(t.name()).containsEntry("type", "object").containsEntry("additionalProperties", false);
            Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) schema.get("properties");
            List<String> required = (List<String>) schema.get("required");
            assertThat(props.keySet()).as(t.name()).containsAll(required);
            props.forEach((name, p) -> {
                assertThat(p).as(t.name() + "." + name).containsKey("type");
                assertThat((String) p.get("description")).as(t.name() + "." + name).isNotBlank();
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void argumentsUseBitbucketsNames() {
        for (String tool : List.of("get_pull_request", "get_pull_request_diff", "list_pull_request_comments",
                "create_pull_request_comment", "approve_pull_request", "request_changes", "upsert_bot_comment")) {
            List<String> required = (List<String>) f.tools.get(tool).spec().inputSchema().get("required");
            assertThat(required).as(tool).startsWith("workspace", "repo_slug", "pull_request_id");
        }
        assertThat((List<String>) f.tools.get("update_pull_request_comment").spec().inputSchema().get("required"))
                .contains("comment_id", "content");
        assertThat((List<String>) f.tools.get("update_issue").spec().inputSchema().get("required")).contains("issue_id");
        assertThat((Map<String, Object>) f.tools.get("get_file").spec().inputSchema().get("properties"))
                .containsKeys("path", "commit");
    }

    @Test
    void anUnknownOrMissingArgumentIsAnErrorTheModelCanFix() {
        f.openSearchPullRequest();

        ToolResult unknown = f.call("get_pull_request", Fixture.pr(1, "repo", "widgets"));
        ToolResult missing = f.call("get_pull_request", Fixture.args("workspace", "acme", "pull_request_id", 1));
        ToolResult notANumber = f.call("get_pull_request", Fixture.repo("pull_request_id", "one"));
        ToolResult fractional = f.call("get_pull_request", Fixture.repo("pull_request_id", 1.5));

        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.text()).contains("unknown argument repo").contains("repo_slug");
        assertThat(missing.text()).isEqualTo("missing required argument 'repo_slug'");
        assertThat(notANumber.text()).contains("'pull_request_id' must be a whole number");
        assertThat(fractional.text()).contains("whole number");
        assertThat(f.call("get_pull_request", Fixture.repo("pull_request_id", "1")).isError()).isFalse();
        assertThat(f.call("get_pull_request", Fixture.repo("pull_request_id", 1.0)).isError()).isFalse();
    }

    @Test
    void a429BecomesATransientToolFailureWithRetryAfter() {
        f.openSearchPullRequest();
        f.fake.failNext(1, 429);

        ToolTransientException e = catchThrowableOfType(ToolTransientException.class,
                () -> f.call("get_pull_request", Fixture.pr(1)));

        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
        assertThat(e.getMessage()).contains("429");
        assertThat(e.getCause()).isInstanceOf(BitbucketException.class);
    }

    @Test
    void a5xxBecomesATransientToolFailureThroughTheInProcessSource() {
        f.openSearchPullRequest();
        f.fake.failNext(1, 502);
        try (BuiltinToolSource source = new BuiltinToolSource("bitbucket", List.copyOf(f.tools.values()))) {
            ToolTransientException e = catchThrowableOfType(ToolTransientException.class,
                    () -> source.call("get_pull_request", Fixture.pr(1), Duration.ofSeconds(10)));

            assertThat(e.retryAfter()).isPresent();
            assertThat(e.getMessage()).contains("Bitbucket failed with 502");
            assertThat(source.call("get_pull_request", Fixture.pr(1), Duration.ofSeconds(10)).isError()).isFalse();
        }
    }

    @Test
    void lastingFailuresAreErrorResults() {
        ToolResult notFound = f.call("get_pull_request", Fixture.pr(99));
        ToolResult badSegment = f.call("get_pull_request", Fixture.args("workspace", "acme", "repo_slug", "..",
                "pull_request_id", 1));

        assertThat(notFound.isError()).isTrue();
        assertThat(notFound.text()).startsWith("Not found: GET /2.0/repositories/acme/widgets/pullrequests/99 (404)");
        assertThat(badSegment.isError()).isTrue();
        assertThat(badSegment.text()).contains("'..' is not a usable path segment");
    }
}
