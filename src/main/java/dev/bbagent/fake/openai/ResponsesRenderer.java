package dev.bbagent.fake.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Renders an {@link Reply.Answer} as a completed Responses API response ({@code "object":"response"}), with
 * every field openai-java's {@code Response} requires. Output items come in the order a model produces them:
 * hosted {@code mcp_call} items, then the assistant {@code message}, then {@code function_call} items.
 * Request settings that a real response echoes (tools, instructions, limits, ...) are echoed.
 */
final class ResponsesRenderer {

    /** Request settings a response echoes, each with the value OpenAI reports when the request left it out. */
    private static final ObjectNode ECHOED_DEFAULTS = echoedDefaults();

    private ResponsesRenderer() {}

    static ObjectNode render(Reply.Answer answer, RecordedRequest request, Ids ids, long createdEpochSecond) {
        ObjectNode root = Wire.JSON.createObjectNode()
                .put("id", ids.next("resp_"))
                .put("object", "response")
                .put("created_at", createdEpochSecond)
                .put("status", "completed")
                .put("background", false)
                .putNull("error")
                .putNull("incomplete_details")
                .put("model", Wire.model(request))
                .put("service_tier", "default")
                .put("truncation", "disabled")
                .putNull("user");
        root.putObject("reasoning").putNull("effort").putNull("summary");
        echoRequestSettings(root, request.body());

        ArrayNode output = root.putArray("output");
        for (McpCall call : answer.mcpCalls()) {
            renderMcpCall(output.addObject(), call, ids);
        }
        if (answer.text() != null) {
            ObjectNode message = output.addObject()
                    .put("type", "message")
                    .put("id", ids.next("msg_"))
                    .put("status", "completed")
                    .put("role", "assistant");
            ObjectNode content = message.putArray("content").addObject()
                    .put("type", "output_text")
                    .put("text", answer.text());
            content.putArray("annotations");
            content.putArray("logprobs");
        }
        for (ToolCall call : answer.toolCalls()) {
            output.addObject()
                    .put("type", "function_call")
                    .put("id", ids.next("fc_"))
                    .put("call_id", call.id() != null ? call.id() : ids.next("call_"))
                    .put("name", call.name())
                    .put("arguments", call.arguments())
                    .put("status", "completed");
        }

        Usage usage = answer.usage() != null ? answer.usage() : Usage.estimate(request, answer);
        ObjectNode rendered = root.putObject("usage")
                .put("input_tokens", usage.promptTokens())
                .put("output_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
        rendered.putObject("input_tokens_details")
                .put("cached_tokens", usage.cachedTokens())
                .put("cache_write_tokens", 0);
        rendered.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return root;
    }

    private static void echoRequestSettings(ObjectNode root, JsonNode body) {
        for (Map.Entry<String, JsonNode> setting : ECHOED_DEFAULTS.properties()) {
            String field = setting.getKey();
            root.set(field, (body.hasNonNull(field) ? body.get(field) : setting.getValue()).deepCopy());
        }
    }

    private static ObjectNode echoedDefaults() {
        ObjectNode defaults = Wire.JSON.createObjectNode()
                .putNull("instructions")
                .putNull("max_output_tokens")
                .putNull("max_tool_calls")
                .putNull("previous_response_id")
                .put("temperature", 1.0)
                .put("top_p", 1.0)
                .put("tool_choice", "auto")
                .put("parallel_tool_calls", true)
                .put("store", true);
        defaults.putObject("metadata");
        defaults.putObject("text").putObject("format").put("type", "text");
        defaults.putArray("tools");
        return defaults;
    }

    private static void renderMcpCall(ObjectNode item, McpCall call, Ids ids) {
        item.put("type", "mcp_call")
                .put("id", ids.next("mcp_"))
                .put("server_label", call.serverLabel())
                .put("name", call.name())
                .put("arguments", call.arguments())
                .put("output", call.output())
                .putNull("approval_request_id")
                .put("status", call.error() == null ? "completed" : "failed");
        if (call.error() == null) {
            item.putNull("error");
        } else {
            item.putObject("error")
                    .put("type", "mcp_tool_execution_error")
                    .putArray("content").addObject().put("type", "text").put("text", call.error());
        }
    }
}
