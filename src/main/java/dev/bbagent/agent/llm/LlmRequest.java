package dev.bbagent.agent.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One model request.
 *
 * @param tools functions offered (empty for the wrap-up turn)
 * @param hosted MCP servers the Responses API calls itself ({@code require_approval: never})
 * @param maxOutputTokens cap on this reply's tokens, or null
 * @param timeout how long to wait for one attempt of this request
 * @param deadline {@link System#nanoTime()} after which no attempt starts (retries included); 0 for none
 */
public record LlmRequest(String model, List<Msg> messages, List<Function> tools, List<HostedMcp> hosted,
        Long maxOutputTokens, Duration timeout, long deadline) {

    public LlmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        hosted = List.copyOf(hosted);
    }

    /** This request with its attempt timeout cut to what is left before the deadline. */
    public LlmRequest bounded() {
        if (deadline == 0) {
            return this;
        }
        long left = deadline - System.nanoTime();
        Duration d = Duration.ofNanos(Math.max(1, left));
        return d.compareTo(timeout) < 0
                ? new LlmRequest(model, messages, tools, hosted, maxOutputTokens, d, deadline) : this;
    }

    /** A function offered to the model; {@code parameters} is the tool's JSON schema. */
    public record Function(String name, String description, Map<String, Object> parameters) {}

    /** A hosted MCP server for the Responses API, the seed's {@code HostedMCPTool}. */
    public record HostedMcp(String label, String url, Map<String, String> headers, List<String> allowedTools) {
        public HostedMcp {
            headers = Map.copyOf(headers);
            allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
        }
    }
}
