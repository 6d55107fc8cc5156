package dev.bbagent.agent.llm;

import com.openai.client.OpenAIClient;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.completions.CompletionUsage;
import java.util.ArrayList;
import java.util.List;

/** The Chat Completions API ({@code POST /chat/completions}), which every OpenAI-compatible server speaks. */
public final class ChatCompletionsApi implements LlmApi {

    private final OpenAIClient client;
    private final String baseUrl;

    public ChatCompletionsApi(OpenAIClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    @Override
    public LlmReply complete(LlmRequest r) {
        if (!r.hosted().isEmpty()) {
            throw new LlmException("hosted MCP servers need the Responses API (api: responses)", false, null,
                    "client_error", null);
        }
        ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model(r.model());
        for (Msg m : r.messages()) {
            switch (m) {
                case Msg.System s -> p.addMessage(ChatCompletionSystemMessageParam.builder().content(s.text()).build());
                case Msg.User u -> p.addMessage(ChatCompletionUserMessageParam.builder().content(u.text()).build());
                case Msg.Assistant a -> p.addMessage(assistant(a));
                case Msg.ToolResult t -> p.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(t.callId())
                        .content(t.text()).build());
            }
        }
        for (LlmRequest.Function f : r.tools()) {
            p.addFunctionTool(FunctionDefinition.builder().name(f.name()).description(f.description())
                    .parameters(FunctionParameters.builder().additionalProperties(Json.values(f.parameters())).build())
                    .strict(false).build());
        }
        if (!r.tools().isEmpty()) {
            p.parallelToolCalls(true);
        }
        if (r.maxOutputTokens() != null) {
            p.maxCompletionTokens(r.maxOutputTokens());
        }
        ChatCompletion c;
        try {
            c = client.chat().completions().create(p.build(), options(r));
        } catch (RuntimeException e) {
            throw OpenAiErrors.classify(e, baseUrl);
        }
        if (c.choices().isEmpty()) {
            throw new LlmException("the model API at " + baseUrl + " answered without a choice", true, null,
                    "bad_response", null);
        }
        ChatCompletionMessage msg = c.choices().getFirst().message();
        List<Msg.ToolCall> calls = new ArrayList<>();
        for (ChatCompletionMessageToolCall call : msg.toolCalls().orElse(List.of())) {
            call.function().ifPresent(f -> calls.add(new Msg.ToolCall(f.id(), f.function().name(), f.function().arguments())));
        }
        return new LlmReply(msg.content().orElse(""), calls, List.of(), usage(c.usage().orElse(null)));
    }

    private static ChatCompletionAssistantMessageParam assistant(Msg.Assistant a) {
        ChatCompletionAssistantMessageParam.Builder b = ChatCompletionAssistantMessageParam.builder();
        if (!a.text().isEmpty() || a.toolCalls().isEmpty()) {
            b.content(a.text());
        }
        for (Msg.ToolCall t : a.toolCalls()) {
            b.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(t.id())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(t.name())
                            .arguments(t.arguments()).build())
                    .build());
        }
        return b.build();
    }

    private static LlmReply.Usage usage(CompletionUsage u) {
        if (u == null) {
            return LlmReply.Usage.NONE;
        }
        long cached = u.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L);
        return new LlmReply.Usage(u.promptTokens(), u.completionTokens(), cached);
    }

    static RequestOptions options(LlmRequest r) {
        return RequestOptions.builder().timeout(Timeout.builder().request(r.timeout()).read(r.timeout()).build()).build();
    }
}
