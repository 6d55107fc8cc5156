package dev.bbagent.fake.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request {@link FakeOpenAi} received, with accessors that read the same facts from a Chat Completions or a
 * Responses API body. Immutable: the JSON accessors hand out copies.
 *
 * <p>The {@code Authorization} header is kept only as {@code <redacted>}; {@link #hasAuthorization()} tells
 * whether it was sent.
 */
public final class RecordedRequest {

    static final String REDACTED = "<redacted>";

    private final int index;
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final String rawBody;
    private final JsonNode body;

    /**
     * @param headers header names in lower case, Authorization already redacted
     * @param body    the parsed body, or a {@link MissingNode} when there is none or it is not JSON
     */
    RecordedRequest(int index, String method, String path, Map<String, String> headers, String rawBody,
            JsonNode body) {
        this.index = index;
        this.method = method;
        this.path = path;
        this.headers = Map.copyOf(headers);
        this.rawBody = rawBody;
        this.body = body;
    }

    /** A function tool output the client sent back: a chat {@code role:"tool"} message or a Responses
     * {@code function_call_output} item. Array content is joined from its text parts. */
    public record ToolResult(String callId, String output) {}

    /**
     * A hosted MCP tool ({@code "type":"mcp"}) offered in a Responses request.
     *
     * @param requireApproval {@code "never"}, {@code "always"}, the JSON text of a filter object, or {@code null}
     * @param allowedTools    the allowed tool names (from a list or a {@code tool_names} filter); empty if unset
     * @param hasAuthorization whether an {@code authorization} or an {@code Authorization} header was configured
     * @param json            the whole tool object as sent
     */
    public record HostedMcpTool(String serverLabel, String serverUrl, String requireApproval,
            List<String> allowedTools, boolean hasAuthorization, JsonNode json) {}

    /** 0 for the first request the server received, then 1, 2, ... */
    public int index() {
        return index;
    }

    public String method() {
        return method;
    }

    /** The request path, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    public Api api() {
        return Api.ofPath(path);
    }

    /** Request headers by lower-case name; {@code authorization} is {@code <redacted>}. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A header by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean hasAuthorization() {
        return headers.containsKey("authorization");
    }

    /** The body as received, {@code ""} when there was none. */
    public String rawBody() {
        return rawBody;
    }

    /** Whether the body was present and parsed as JSON. */
    public boolean hasJsonBody() {
        return !body.isMissingNode();
    }

    /** A copy of the parsed JSON body; a {@link MissingNode} when there was none or it was not JSON. */
    public JsonNode body() {
        return body.deepCopy();
    }

    /** The requested model, or empty. */
    public Optional<String> model() {
        return text(body, "model");
    }

    /** Whether the client asked for a server-sent-event stream (which the fake refuses). */
    public boolean streaming() {
        return body.path("stream").asBoolean(false);
    }

    /**
     * The output token limit: chat {@code max_completion_tokens}, else the legacy {@code max_tokens};
     * Responses {@code max_output_tokens}.
     */
    public OptionalLong maxTokens() {
        for (String field : List.of("max_completion_tokens", "max_tokens", "max_output_tokens")) {
            JsonNode value = body.path(field);
            if (value.isIntegralNumber()) {
                return OptionalLong.of(value.asLong());
            }
        }
        return OptionalLong.empty();
    }

    /** The Responses API {@code instructions} as a text, or empty. */
    public Optional<String> instructions() {
        return text(body, "instructions");
    }

    /** A copy of every offered tool object, in order, of any type. */
    public List<JsonNode> tools() {
        return copies(body.path("tools"));
    }

    /**
     * The names of the offered function tools, in order: chat {@code tools[].function.name}, Responses
     * {@code tools[].name} of {@code "type":"function"} tools. Hosted MCP tools are in {@link #hostedMcpTools()}.
     */
    public List<String> toolNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if ("function".equals(tool.path("type").asText())) {
                JsonNode name = tool.has("function") ? tool.path("function").path("name") : tool.path("name");
                names.add(name.asText());
            }
        }
        return names;
    }

    /** The hosted MCP tools ({@code "type":"mcp"}) offered in a Responses request, in order. */
    public List<HostedMcpTool> hostedMcpTools() {
        List<HostedMcpTool> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if ("mcp".equals(tool.path("type").asText())) {
                JsonNode approval = tool.path("require_approval");
                String requireApproval = approval.isTextual() ? approval.asText()
                        : approval.isMissingNode() || approval.isNull() ? null : approval.toString();
                JsonNode allowed = tool.path("allowed_tools");
                List<String> allowedTools = new ArrayList<>();
                for (JsonNode name : allowed.isArray() ? allowed : allowed.path("tool_names")) {
                    allowedTools.add(name.asText());
                }
                boolean auth = tool.hasNonNull("authorization")
                        || tool.path("headers").properties().stream()
                                .anyMatch(e -> e.getKey().equalsIgnoreCase("authorization"));
                tools.add(new HostedMcpTool(text(tool, "server_label").orElse(null),
                        text(tool, "server_url").orElse(null), requireApproval, List.copyOf(allowedTools), auth,
                        tool.deepCopy()));
            }
        }
        return tools;
    }

    /**
     * Copies of the conversation sent: chat {@code messages[]}, or Responses {@code input[]} items. A Responses
     * {@code input} given as a plain string shows as one {@code {"type":"message","role":"user","content":...}}.
     */
    public List<JsonNode> messages() {
        if (body.has("messages")) {
            return copies(body.path("messages"));
        }
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            ObjectNode message = JsonNodeFactory.instance.objectNode();
            message.put("type", "message").put("role", "user").put("content", input.asText());
            return List.of(message);
        }
        return copies(input);
    }

    /**
     * The text of the last user message (chat {@code role:"user"} message or Responses user input item),
     * joining the text parts of array content; empty when there is none. Handy for fallback responders that
     * derive their answer from the prompt.
     */
    public Optional<String> lastUserText() {
        List<JsonNode> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return Optional.of(contentText(message.path("content")));
            }
        }
        return Optional.empty();
    }

    /**
     * The tool outputs sent back, in order: chat {@code role:"tool"} messages ({@code tool_call_id},
     * {@code content}) and Responses {@code function_call_output} items ({@code call_id}, {@code output}).
     */
    public List<ToolResult> toolResults() {
        List<ToolResult> results = new ArrayList<>();
        for (JsonNode message : messages()) {
            if ("tool".equals(message.path("role").asText())) {
                results.add(new ToolResult(message.path("tool_call_id").asText(),
                        contentText(message.path("content"))));
            } else if ("function_call_output".equals(message.path("type").asText())) {
                results.add(new ToolResult(message.path("call_id").asText(),
                        contentText(message.path("output"))));
            }
        }
        return results;
    }

    /** A one-line summary, e.g. {@code #2 POST /v1/chat/completions model=gpt-4.1 messages=4 toolResults=1}. */
    @Override
    public String toString() {
        StringBuilder summary = new StringBuilder("#").append(index).append(' ').append(method).append(' ')
                .append(path);
        model().ifPresent(model -> summary.append(" model=").append(model));
        if (hasJsonBody() && api() != Api.OTHER) {
            summary.append(" messages=").append(messages().size())
                    .append(" toolResults=").append(toolResults().size());
        }
        return summary.toString();
    }

    /** A string content, or the {@code text} of each part of an array content, joined. */
    private static String contentText(JsonNode content) {
        if (!content.isArray()) {
            return content.isTextual() ? content.asText() : content.isMissingNode() ? "" : content.toString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText());
        }
        return text.toString();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static List<JsonNode> copies(JsonNode array) {
        List<JsonNode> copies = new ArrayList<>();
        for (JsonNode item : array) {
            copies.add(item.deepCopy());
        }
        return copies;
    }
}
