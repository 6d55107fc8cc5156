package dev.bbagent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.cli.CliRunner;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void theDemoRunsTheWholeFlowAndPrintsTheCommentItPosted() {
        String[] r = CliRunner.run("demo");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("bbagent answered 202", "Rule pr-review-hints matched",
                "The agent ran: completed, 3 turns, 2 tool calls, 1 changes",
                "[assistant] calls [{\"id\":\"call_1\",\"name\":\"bitbucket__get_pull_request_diff\"",
                "The comment bbagent posted on pull request #1",
                "`upload.py`: the retry loop never gives up",
                "`tests/test_upload.py`: good to see a test");
    }
}
