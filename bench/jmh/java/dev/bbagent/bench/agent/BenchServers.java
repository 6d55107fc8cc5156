package dev.bbagent.bench.agent;

import dev.bbagent.fake.openai.FakeOpenAi;
import dev.bbagent.fake.openai.RecordedRequest;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.mcp.testserver.TestHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The shared setup of the agent-runtime benchmark, in its own JVM so that neither system under test pays
 * for it: ONE scripted OpenAI-compatible server with no latency, one more that waits 2 s before every reply
 * (for the 1,000-runs test), and ONE MCP server over Streamable HTTP (the test server: tools {@code echo},
 * {@code add}...). bbagent and the JS OpenAI Agents SDK both use these endpoints.
 *
 * <p>The script, the same for both: the first request of a run (no tool results yet) gets one call of the
 * echo tool, under whatever name the client offered it ({@code mcp__echo} from bbagent, {@code echo} from the
 * JS SDK); the second gets the final text.
 *
 * <p>Prints {@code LLM_URL=}, {@code LLM_SLOW_URL=} and {@code MCP_URL=} lines, then {@code READY}, and serves
 * until its standard input closes.
 */
public final class BenchServers {

    private BenchServers() {}

    /** The two-turn script; {@code delay} before every reply. */
    static Function<RecordedRequest, Reply> script(Duration delay) {
        return req -> {
            if (req.toolResults().isEmpty()) {
                String echo = req.toolNames().stream().filter(n -> n.equals("echo") || n.endsWith("__echo"))
                        .findFirst().orElse("echo");
                return Reply.toolCall(echo, "{\"text\":\"hello from the benchmark\"}").after(delay);
            }
            return Reply.text("The tool said: " + req.toolResults().getFirst().output()).after(delay);
        };
    }

    public static void main(String[] args) throws Exception {
        long slowMs = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        try (FakeOpenAi fast = FakeOpenAi.started(); FakeOpenAi slow = FakeOpenAi.started();
                TestHttpServer mcp = TestHttpServer.start(null)) {
            // A run of the benchmark sends these fakes hundreds of thousands of requests: keep none around.
            fast.keepAtMost(1).fallback(script(Duration.ZERO));
            slow.keepAtMost(1).fallback(script(Duration.ofMillis(slowMs)));
            System.out.println("LLM_URL=" + fast.baseUrl());
            System.out.println("LLM_SLOW_URL=" + slow.baseUrl());
            System.out.println("MCP_URL=" + mcp.url());
            System.out.println("READY");
            System.out.flush();
            try {
                while (System.in.read() >= 0) {
                    // serve until the runner closes our stdin (or kills us)
                }
            } catch (IOException e) {
                // stdin gone: stop
            }
        }
    }
}
