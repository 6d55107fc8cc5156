package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.mcp.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketDiffToolsTest {

    private static final String APP = section("src/app.py", 3);
    private static final String BIG = section("src/big.py", 200);
    private static final String LOCK = section("package-lock.json", 60);
    private static final String GUIDE = section("docs/guide.md", 5);
    private static final String DIFF = APP + BIG + LOCK + GUIDE;

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
        f.openSearchPullRequest();
        f.fake.pullRequest("acme", "widgets", 1).setDiff(DIFF);
        f.fake.clearRequests();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A git diff section changing {@code lines} lines of a file. */
    static String section(String path, int lines) {
        StringBuilder s = new StringBuilder("diff --git a/" + path + " b/" + path + "\n"
                + "index 1111111..2222222 100644\n--- a/" + path + "\n+++ b/" + path + "\n@@ -1," + lines + " +1,"
                + lines + " @@\n");
        for (int i = 1; i <= lines; i++) {
            s.append("-old line ").append(i).append(" of ").append(path).append('\n');
            s.append("+new line ").append(i).append(" of ").append(path).append('\n');
        }
        return s.toString();
    }

    @Test
    void aSmallDiffIsReturnedWholeAfterTheRedirect() {
        ToolResult r = f.call("get_pull_request_diff", Fixture.pr(1));

        assertThat(r.isError()).isFalse();
        assertThat(r.text()).isEqualTo(DIFF);
        assertThat(f.requests()).hasSize(2);
        assertThat(f.requests().get(0).line()).isEqualTo("GET /2.0/repositories/acme/widgets/pullrequests/1/diff");
        assertThat(f.requests().get(1).path()).startsWith("/2.0/repositories/acme/widgets/diff/");
        assertThat(f.requests().get(1).query()).contains("from_pullrequest_id=1");
    }

    @Test
    void aCappedDiffKeepsWholeFilesThatFitAndListsTheOthers() {
        int cap = APP.length() + GUIDE.length() + 10;

        String text = f.call("get_pull_request_diff", Fixture.pr(1, "max_bytes", Math.max(cap, 1_000))).text();

        int max = Math.max(cap, 1_000);
        assertThat(text).startsWith("# Showing 2 of 4 changed files (" + (APP.length() + GUIDE.length())
                + " bytes; max_bytes " + max + "). Left out:\n");
        assertThat(text).contains("#   src/big.py (" + BIG.length() + " bytes): does not fit in max_bytes\n")
                .contains("#   package-lock.json (" + LOCK.length() + " bytes): does not fit in max_bytes\n")
                .contains("# To read a left-out file, call get_pull_request_diff again with include: [\"<its path>\"], "
                        + "and a larger max_bytes if it is big.\n");
        assertThat(text).endsWith("\n" + APP + GUIDE);
    }

    @Test
    void includeAndExcludeFilterByGlobAndTheFilteredFilesAreListed() {
        String text = f.call("get_pull_request_diff", Fixture.pr(1, "include", List.of("src/**", "*.json"),
                "exclude", List.of("src/big.py"))).text();

        assertThat(text).contains("# Showing 2 of 4 changed files")
                .contains("#   src/big.py (" + BIG.length() + " bytes): excluded by src/big.py\n")
                .contains("#   docs/guide.md (" + GUIDE.length() + " bytes): not matched by include\n");
        assertThat(text).endsWith("\n" + APP + LOCK);
    }

    @Test
    void aSingleFileLargerThanTheCapIsCutAtALine() {
        String text = f.call("get_pull_request_diff", Fixture.pr(1, "include", "src/big.py", "max_bytes", 1_000)).text();

        String[] parts = text.split("\n\n", 2);
        String header = parts[0];
        String diff = parts[1];
        assertThat(header).startsWith("# Showing 1 of 4 changed files (" + diff.length() + " bytes; max_bytes 1000).")
                .contains("#   src/big.py (" + BIG.length() + " bytes): cut at " + diff.length() + " of its "
                        + BIG.length() + " bytes to fit in max_bytes");
        assertThat(diff.length()).isLessThanOrEqualTo(1_000);
        assertThat(BIG).startsWith(diff);
        assertThat(diff).endsWith("\n");
    }

    @Test
    void aDiffComputedFromTheBranchesWorksToo() {
        f.fake.openPullRequest("acme", "widgets", "Search again", "feature/search", "main", f.alice);

        String text = f.call("get_pull_request_diff", Fixture.pr(2)).text();

        assertThat(text).startsWith("diff --git a/src/search.py b/src/search.py\nnew file mode");
        assertThat(text).contains("+def search():");
    }

    @Test
    void badArgumentsAreErrors() {
        assertThat(f.call("get_pull_request_diff", Fixture.pr(1, "max_bytes", 10)).text())
                .isEqualTo("argument 'max_bytes' must be between 1000 and 1000000, not 10");
        assertThat(f.call("get_pull_request_diff", Fixture.pr(1, "include", List.of("src/{a,b"))).text())
                .contains("unbalanced '{'");
        assertThat(f.call("get_pull_request_diff", Fixture.pr(1, "include", Map.of("a", 1))).text())
                .contains("must be a list of strings");
    }

    @Test
    void diffstatIsCompactAndFollowsPagesAfterTheRedirect() {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            many.append(section("f" + i + ".txt", i));
        }
        many.append("diff --git a/old.txt b/new.txt\nsimilarity index 90%\nrename from old.txt\nrename to new.txt\n");
        f.fake.pullRequest("acme", "widgets", 1).setDiff(many.toString());

        JsonNode r = f.callJson("get_pull_request_diffstat", Fixture.pr(1));

        assertThat(r.path("values")).hasSize(13);
        assertThat(r.path("total").asInt()).isEqualTo(13);
        assertThat(r.at("/values/2").toString()).isEqualTo(
                "{\"status\":\"modified\",\"path\":\"f3.txt\",\"lines_added\":3,\"lines_removed\":3}");
        assertThat(r.at("/values/12/status").asText()).isEqualTo("renamed");
        assertThat(r.at("/values/12/path").asText()).isEqualTo("new.txt");
        assertThat(r.at("/values/12/old_path").asText()).isEqualTo("old.txt");
        assertThat(f.lines().getFirst()).isEqualTo("GET /2.0/repositories/acme/widgets/pullrequests/1/diffstat");
        assertThat(f.requests()).hasSize(3); // the redirect, then two pages of Bitbucket's default 10
    }

    @Test
    void anEmptyDiffSaysSo() {
        f.fake.pullRequest("acme", "widgets", 1).setDiff("");

        assertThat(f.call("get_pull_request_diff", Fixture.pr(1)).text()).isEqualTo("The pull request changes no files.");
    }
}
