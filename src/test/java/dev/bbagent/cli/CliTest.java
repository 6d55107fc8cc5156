package dev.bbagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    /** Runs the CLI with stdout and stderr captured. */
    static String[] capture(Supplier<Integer> run) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = run.get();
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void jobsAndRunsRefuseAFolderThatServeNeverUsed(@TempDir Path empty) {
        for (String group : new String[] {"jobs", "runs"}) {
            String[] r = capture(() -> Main.run(group, "list", "--data-dir", empty.toString()));

            assertThat(r[0]).as(group).isEqualTo("2");
            assertThat(r[2]).as(group).contains("no bbagent database at " + empty.resolve("bbagent.db"))
                    .contains("--data-dir");
        }
    }

        @Test
    void helpListsTheCommands() {
        String[] r = capture(() -> Main.run("--help"));

        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("serve");
    }

    @Test
    void serveHelpListsEverySettingWithItsEnvironmentVariable() {
        String[] r = capture(() -> Main.run("serve", "--help"));

        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("--port", "BBAGENT_PORT", "--data-dir", "BBAGENT_DATA_DIR", "--rules", "BBAGENT_RULES");
    }

    @Test
    void serveRefusesToStartWithoutAWebhookSecret() {
        String[] r = capture(() -> Main.run("serve", "--port", "0", "--data-dir", "target/cli-test-data"));

        // The test JVM's environment may not hold a secret; when it does, this case is not testable here.
        if (System.getenv("BITBUCKET_WEBHOOK_SECRET") == null) {
            assertThat(r[0]).isEqualTo("2");
            assertThat(r[2]).contains("cannot start").contains("BITBUCKET_WEBHOOK_SECRET");
        }
    }
}
