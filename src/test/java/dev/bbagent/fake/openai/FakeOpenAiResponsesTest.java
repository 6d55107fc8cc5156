package dev.bbagent.fake.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.Tool;
import dev.bbagent.fake.openai.RecordedRequest.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiResponsesTest {

    private static final ChatCompletionCreateParams CHAT_HELLO = ChatCompletionCreateParams.builder()
            .model("gpt-4.1")
            .addUserMessage("hi")
            .build();

    private FakeOpenAi fake;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        fake = FakeOpenAi.started();
        client = Clients.of(fake);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private ResponseCreateParams.Builder reviewRequest() {
        return ResponseCreateParams.builder()
                .model("gpt-4.1")
                .instructions("You review pull requests.")
                .maxOutputTokens(1024)
                .addTool(Clients.responsesFunction("get_diff", "pr"));
    }

    private static String outputText(Response response) {
        return response.output().stream()
                .flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream())
                .map(ResponseOutputText::text)
                .reduce("", String::concat);
    }

    @Test
    void aTextReplyIsACompletedResponseWithAnOutputTextMessageAndUsage() {
        fake.enqueue(Reply.text("Looks good.").withUsage(Usage.of(900, 30, 512).withReasoningTokens(12)));

        Response response = client.responses().create(reviewRequest().input("Review PR 7").build());

        assertThat(response.id()).isEqualTo("resp_1");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        // "gpt-4.1" is a known ChatModel, so the union holds the chat variant, not the string one
        assertThat(response.model().asChat().asString()).isEqualTo("gpt-4.1");
        assertThat(response.output()).singleElement().satisfies(item -> assertThat(item.isMessage()).isTrue());
        assertThat(outputText(response)).isEqualTo("Looks good.");
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("You review pull requests.");
        assertThat(response.maxOutputTokens()).contains(1024L);
        assertThat(response.tools()).singleElement().satisfies(t -> assertThat(t.asFunction().name())
                .isEqualTo("get_diff"));
        ResponseUsage usage = response.usage().orElseThrow();
        assertThat(usage.inputTokens()).isEqualTo(900);
        assertThat(usage.outputTokens()).isEqualTo(30);
        assertThat(usage.totalTokens()).isEqualTo(930);
        assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(512);
        assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(12);

        RecordedRequest request = fake.lastRequest();
        assertThat(request.api()).isEqualTo(Api.RESPONSES);
        assertThat(request.instructions()).contains("You review pull requests.");
        assertThat(request.maxTokens()).hasValue(1024);
        assertThat(request.messages()).singleElement()
                .satisfies(m -> assertThat(m.path("content").asText()).isEqualTo("Review PR 7"));
        assertThat(request.lastUserText()).contains("Review PR 7");
    }

    @Test
    void aFunctionCallRoundTripRecordsTheFunctionCallOutput() {
        fake.enqueue(Reply.toolCall("get_diff", "{\"pr\":\"7\"}").withText("Let me look."), Reply.text("Done."));

        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER)
                .content("Review PR 7")
                .build()));
        Response first = client.responses().create(reviewRequest().inputOfResponse(input).build());

        assertThat(first.output()).extracting(ResponseOutputItem::isMessage, ResponseOutputItem::isFunctionCall)
                .containsExactly(tuple(true, false),
                        tuple(false, true));
        ResponseFunctionToolCall call = first.output().get(1).functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("call_1");
        assertThat(call.id()).contains("fc_1");
        assertThat(call.name()).isEqualTo("get_diff");
        assertThat(call.arguments()).isEqualTo("{\"pr\":\"7\"}");
        assertThat(call.status()).contains(ResponseFunctionToolCall.Status.COMPLETED);

        input.add(ResponseInputItem.ofFunctionCall(call));
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("diff --git a/x b/x")
                .build()));
        Response second = client.responses().create(reviewRequest().inputOfResponse(input).build());

        assertThat(outputText(second)).isEqualTo("Done.");
        RecordedRequest followUp = fake.lastRequest();
        assertThat(followUp.toolResults()).containsExactly(new ToolResult("call_1", "diff --git a/x b/x"));
        assertThat(followUp.messages()).extracting(m -> m.path("type").asText())
                .containsExactly("message", "function_call", "function_call_output");
        assertThat(followUp.toolNames()).containsExactly("get_diff");
    }

    @Test
    void aHostedMcpToolIsRecordedWithItsServerAndApprovalSettings() {
        fake.enqueue(Reply.mcpCall(
                McpCall.of("composio", "BITBUCKET_GET_PR", "{\"id\":7}", "{\"title\":\"Fix\"}"), "PR 7 is 'Fix'."));

        Response response = client.responses().create(reviewRequest()
                .input("What is PR 7 about?")
                .addTool(Tool.Mcp.builder()
                        .serverLabel("composio")
                        .serverUrl("https://mcp.composio.dev/abc")
                        .requireApproval(Tool.Mcp.RequireApproval.McpToolApprovalSetting.NEVER)
                        .allowedToolsOfMcp(List.of("BITBUCKET_GET_PR"))
                        .authorization("secret-token")
                        .build())
                .build());

        RecordedRequest request = fake.lastRequest();
        assertThat(request.toolNames()).containsExactly("get_diff");
        assertThat(request.hostedMcpTools()).singleElement().satisfies(tool -> {
            assertThat(tool.serverLabel()).isEqualTo("composio");
            assertThat(tool.serverUrl()).isEqualTo("https://mcp.composio.dev/abc");
            assertThat(tool.requireApproval()).isEqualTo("never");
            assertThat(tool.allowedTools()).containsExactly("BITBUCKET_GET_PR");
            assertThat(tool.hasAuthorization()).isTrue();
        });
        assertThat(response.output()).hasSize(2);
        ResponseOutputItem.McpCall call = response.output().getFirst().mcpCall().orElseThrow();
        assertThat(call.serverLabel()).isEqualTo("composio");
        assertThat(call.name()).isEqualTo("BITBUCKET_GET_PR");
        assertThat(call.arguments()).isEqualTo("{\"id\":7}");
        assertThat(call.output()).contains("{\"title\":\"Fix\"}");
        assertThat(call.error()).isEmpty();
        assertThat(outputText(response)).isEqualTo("PR 7 is 'Fix'.");
        assertThat(response.tools()).hasSize(2);
    }

    @Test
    void aFailedHostedMcpCallCarriesItsError() {
        fake.enqueue(Reply.mcpCall(McpCall.failed("composio", "BITBUCKET_GET_PR", "{}", "not found"), "Sorry."));

        Response response = client.responses().create(reviewRequest().input("What is PR 7 about?").build());

        ResponseOutputItem.McpCall call = response.output().getFirst().mcpCall().orElseThrow();
        assertThat(call.output()).isEmpty();
        assertThat(call.error().orElseThrow().isToolExecution()).isTrue();
        assertThat(call.status()).contains(ResponseOutputItem.McpCall.Status.FAILED);
    }

    @Test
    void anMcpCallScriptedForAChatCompletionIsRejectedAsAScriptError() {
        fake.enqueue(Reply.mcpCall(McpCall.of("composio", "X", "{}", "out"), "text"));

        assertThatThrownBy(() -> client.chat().completions().create(CHAT_HELLO))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("only in the Responses API");
    }

    @Test
    void bothApisConsumeTheSameScriptInOrder() {
        fake.enqueue(Reply.text("first"), Reply.rateLimited(Duration.ofSeconds(1)), Reply.text("third"));

        assertThat(client.chat().completions().create(CHAT_HELLO).choices().getFirst().message().content())
                .contains("first");
        assertThatThrownBy(() -> client.responses().create(reviewRequest().input("hi").build()))
                .isInstanceOf(RateLimitException.class);
        assertThat(outputText(client.responses().create(reviewRequest().input("hi").build()))).isEqualTo("third");
        assertThat(fake.requests()).extracting(RecordedRequest::api)
                .containsExactly(Api.CHAT, Api.RESPONSES, Api.RESPONSES);
        assertThat(fake.requests(Api.RESPONSES)).hasSize(2);
    }
}
