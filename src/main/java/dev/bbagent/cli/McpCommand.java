package dev.bbagent.cli;

import dev.bbagent.app.Builtins;
import dev.bbagent.config.ConfigException;
import dev.bbagent.mcp.BuiltinMcpServer;
import dev.bbagent.mcp.BuiltinTool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bbagent mcp}: serve bbagent's built-in Bitbucket tools (or, with {@code --toolset jira}, its Jira
 * tools) to any MCP client (Claude Desktop, Cursor, the OpenAI Agents SDK) over stdio or Streamable HTTP. Same
 * tools, same code as the agent's.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Serve the built-in Bitbucket or Jira tools as an MCP server (stdio or Streamable HTTP).",
                "Bitbucket credentials come from BITBUCKET_TOKEN, or BITBUCKET_EMAIL and BITBUCKET_API_TOKEN;",
                "Jira's (--toolset jira) from JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN."})
final class McpCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class Mode {
        @Option(names = "--stdio", description = "Speak MCP on stdin/stdout (for a client that starts bbagent).")
        boolean stdio;

        @Option(names = "--http", description = "Serve Streamable HTTP at http://HOST:PORT/mcp.")
        boolean http;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface for --http. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8765", description = "Port for --http (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--toolset", defaultValue = "bitbucket", description = "Which built-in toolset: bitbucket or jira. Default: ${DEFAULT-VALUE}.")
    String toolset;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        Builtins builtins;
        try {
            builtins = new Builtins(System.getenv(), new SimpleMeterRegistry(), Clock.systemUTC());
        } catch (ConfigException e) {
            err.println("bbagent: " + e.getMessage());
            return 2;
        }
        try (builtins) {
            List<BuiltinTool> tools = builtins.tools(toolset).orElse(null);
            if (tools == null) {
                err.println("bbagent: " + builtins.problem(toolset));
                return 2;
            }
            String version = Version.current();
            if (mode.stdio) {
                CountDownLatch closed = new CountDownLatch(1);
                var server = BuiltinMcpServer.stdio("bbagent-" + toolset, version, tools,
                        new ClosingInput(System.in, closed), System.out);
                closed.await();
                server.close();
                return 0;
            }
            String token = System.getenv("BBAGENT_MCP_TOKEN");
            if ((token == null || token.isEmpty()) && !host.equals("127.0.0.1") && !host.equals("localhost")) {
                err.println("bbagent: refusing to serve the tools on " + host + " without a token; set BBAGENT_MCP_TOKEN"
                        + " (clients then send Authorization: Bearer <token>), or use --host 127.0.0.1");
                return 2;
            }
            try (var server = BuiltinMcpServer.http("bbagent-" + toolset, version, tools, host, port, token)) {
                err.println("bbagent: MCP server with " + tools.size() + " " + toolset + " tools at http://" + host + ":"
                        + server.port() + "/mcp" + (token == null || token.isEmpty() ? "" : " (bearer token required)"));
                err.flush();
                server.join();
            }
            return 0;
        }
    }

    /** Signals when the client closes stdin: the server then exits. */
    private static final class ClosingInput extends java.io.FilterInputStream {
        private final CountDownLatch closed;

        ClosingInput(java.io.InputStream in, CountDownLatch closed) {
            super(in);
            this.closed = closed;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b < 0) {
                closed.countDown();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                closed.countDown();
            }
            return n;
        }
    }
}
