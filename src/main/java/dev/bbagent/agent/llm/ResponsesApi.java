package dev.bbagent.agent.llm;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * The Responses API ({@code POST /responses}). Besides functions it can hand MCP servers to the API
 * itself as hosted tools with {@code require_approval: never}, as the seed's HostedMCPTool did.
 */
public final class ResponsesApi implements LlmApi {

    private final OpenAIClient client;
    private final String baseUrl;

    public ResponsesApi(OpenAIClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    @Override
    public LlmReply complete(LlmRequest r) {
        ResponseCreateParams.Builder p = ResponseCreateParams.builder().model(r.model()).store(false);
        List<ResponseInputItem> input = new ArrayList<>();
        StringBuilder instructions = new StringBuilder();
        for (Msg m : r.messages()) {
            switch (m) {
                case Msg.System s -> instructions.append(instructions.isEmpty() ? "" : "\n\n").append(s.text());
                case Msg.User u -> input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                        .role(EasyInputMessage.Role.USER).content(u.text()).build()));
                case Msg.Assistant a -> {
                    if (!a.text().isEmpty()) {
                        input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                                .role(EasyInputMessage.Role.ASSISTANT).content(a.text()).build()));
                    }
                    for (Msg.ToolCall t : a.toolCalls()) {
                        input.add(ResponseInputItem.ofFunctionCall(ResponseFunctionToolCall.builder().callId(t.id())
                                .name(t.name()).arguments(t.arguments()).build()));
                    }
                }
                case Msg.ToolResult t -> input.add(ResponseInputItem.ofFunctionCallOutput(
                        ResponseInputItem.FunctionCallOutput.builder().callId(t.callId()).output(t.text()).build()));
            }
        }
        p.inputOfResponse(input);
        if (!instructions.isEmpty()) {
            p.instructions(instructions.toString());
        }
        for (LlmRequest.Function f : r.tools()) {
            p.addTool(FunctionTool.builder().name(f.name()).description(f.description())
                    .parameters(FunctionTool.Parameters.builder().additionalProperties(Json.values(f.parameters())).build())
                    .strict(false).build());
        }
        for (LlmRequest.HostedMcp h : r.hosted()) {
            Tool.Mcp.Builder mcp = Tool.Mcp.builder().serverLabel(h.label()).serverUrl(h.url())
                    .requireApproval(Tool.Mcp.RequireApproval.McpToolApprovalSetting.NEVER);
            if (!h.headers().isEmpty()) {
                Tool.Mcp.Headers.Builder hb = Tool.Mcp.Headers.builder();
                h.headers().forEach((k, v) -> hb.putAdditionalProperty(k, JsonValue.from(v)));
                mcp.headers(hb.build());
            }
            if (h.allowedTools() != null) {
                mcp.allowedToolsOfMcp(h.allowedTools());
            }
            p.addTool(mcp.build());
        }
        if (r.maxOutputTokens() != null) {
            p.maxOutputTokens(r.maxOutputTokens());
        }
        Response resp;
        try {
            resp = client.responses().create(p.build(), ChatCompletionsApi.options(r));
        } catch (RuntimeException e) {
            throw OpenAiErrors.classify(e, baseUrl);
        }
        StringBuilder text = new StringBuilder();
        List<Msg.ToolCall> calls = new ArrayList<>();
        List<Msg.HostedCall> hosted = new ArrayList<>();
        for (ResponseOutputItem item : resp.output()) {
            item.message().ifPresent(msg -> msg.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
            item.functionCall().ifPresent(f -> calls.add(new Msg.ToolCall(f.callId(), f.name(), f.arguments())));
            item.mcpCall().ifPresent(c -> hosted.add(new Msg.HostedCall(c.serverLabel(), c.name(), c.arguments(),
                    c.output().orElse(null), c.error().map(Object::toString).orElse(null))));
        }
        return new LlmReply(text.toString(), calls, hosted, usage(resp.usage().orElse(null)));
    }

    private static LlmReply.Usage usage(ResponseUsage u) {
        if (u == null) {
            return LlmReply.Usage.NONE;
        }
        return new LlmReply.Usage(u.inputTokens(), u.outputTokens(), u.inputTokensDetails().cachedTokens());
    }
}
