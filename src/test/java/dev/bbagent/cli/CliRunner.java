package dev.bbagent.cli;

/** Runs the CLI in-process with output captured: {exit code, stdout, stderr}. */
public final class CliRunner {

    private CliRunner() {}

    public static String[] run(String... args) {
        return CliTest.capture(() -> Main.run(args));
    }
}
