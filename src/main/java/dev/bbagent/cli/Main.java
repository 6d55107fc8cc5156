package dev.bbagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bbagent}: the entry point. Each subcommand parses its flags and hands over to the app. */
@Command(
        name = "bbagent",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Bitbucket automation worker: verified webhooks, YAML rules, LLM agents over MCP tools.",
        subcommands = {DemoCommand.class, ServeCommand.class, ValidateCommand.class, ExplainCommand.class, JobsCommand.class,
                ReplayCommand.class, RunsCommand.class, McpCommand.class, ChatCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Run a command line and return its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bbagent: " + ex.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
