package dev.bbagent.fake.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders an {@link Reply.Answer} as a Chat Completions response body ({@code "object":"chat.completion"}),
 * with every field openai-java's {@code ChatCompletion} requires.
 */
final class ChatRenderer {

    private ChatRenderer() {}

    static ObjectNode render(Reply.Answer answer, RecordedRequest request, Ids ids, long createdEpochSecond) {
        if (!answer.mcpCalls().isEmpty()) {
            throw new IllegalArgumentException("hosted MCP calls exist only in the Responses API");
        }
        ObjectNode root = Wire.JSON.createObjectNode()
                .put("id", ids.next("chatcmpl-"))
                .put("object", "chat.completion")
                .put("created", createdEpochSecond)
                .put("model", Wire.model(request))
                .put("service_tier", "default")
                .put("system_fingerprint", "fp_fake");

        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message")
                .put("role", "assistant")
                .put("content", answer.text())
                .putNull("refusal");
        message.putArray("annotations");
        if (!answer.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : answer.toolCalls()) {
                ObjectNode rendered = calls.addObject()
                        .put("id", call.id() != null ? call.id() : ids.next("call_"))
                        .put("type", "function");
                rendered.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", answer.toolCalls().isEmpty() ? "stop" : "tool_calls");

        Usage usage = answer.usage() != null ? answer.usage() : Usage.estimate(request, answer);
        ObjectNode rendered = root.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
        rendered.putObject("prompt_tokens_details")
                .put("cached_tokens", usage.cachedTokens())
                .put("cache_write_tokens", 0)
                .put("audio_tokens", 0);
        rendered.putObject("completion_tokens_details")
                .put("reasoning_tokens", usage.reasoningTokens())
                .put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0)
                .put("rejected_prediction_tokens", 0);
        return root;
    }
}
