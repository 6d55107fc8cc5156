package dev.bbagent.mcp.testserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The test MCP server over stdio, built from the SDK's server classes; run as a subprocess with
 * {@code java -cp <test classpath> dev.bbagent.mcp.testserver.TestStdioServer [options]}.
 *
 * <ul>
 *   <li>{@code --protocol 2024-11-05}: support only that protocol version (older servers)
 *   <li>{@code --fail-at-start N}: write two lines to stderr and exit with code N before serving
 *   <li>{@code --print-env NAME}: write the variable's value to stderr at start (env tests)
 * </ul>
 * It exits when stdin closes.
 */
public final class TestStdioServer {

    private TestStdioServer() {}

    public static void main(String[] args) throws InterruptedException {
        String protocol = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--protocol" -> protocol = args[++i];
                case "--fail-at-start" -> {
                    System.err.println("starting test server");
                    System.err.println("fatal: cannot log in (test)");
                    System.exit(Integer.parseInt(args[++i]));
                }
                case "--print-env" -> {
                    String name = args[++i];
                    System.err.println("env " + name + "=" + System.getenv(name));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        CountDownLatch eof = new CountDownLatch(1);
        McpJsonMapper json = McpJsonDefaults.getMapper();
        InputStream in = new ExitOnEof(System.in, eof);
        String only = protocol;
        StdioServerTransportProvider transport = only == null
                ? new StdioServerTransportProvider(json, in, System.out)
                : new StdioServerTransportProvider(json, in, System.out) {
                    @Override
                    public List<String> protocolVersions() {
                        return List.of(only);
                    }
                };
        AtomicReference<McpSyncServer> self = new AtomicReference<>();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("bbagent-test-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(new ArrayList<>(TestTools.all(self::get, true)))
                .build();
        self.set(server);
        eof.await();
        Runtime.getRuntime().halt(0);
    }

    /** Counts down when the client closes stdin, so the server exits instead of lingering. */
    private static final class ExitOnEof extends FilterInputStream {
        private final CountDownLatch eof;

        ExitOnEof(InputStream in, CountDownLatch eof) {
            super(in);
            this.eof = eof;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                eof.countDown();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                eof.countDown();
            }
            return n;
        }
    }
}
