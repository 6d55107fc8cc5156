package dev.bbagent.fake.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.bbagent.fake.openai.RecordedRequest.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiChatCompletionsTest {

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

    private ChatCompletionCreateParams.Builder reviewRequest() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini")
                .maxCompletionTokens(512)
                .addSystemMessage("You review pull requests.")
                .addUserMessage("Review PR 7")
                .addFunctionTool(Clients.chatFunction("get_diff", "pr"))
                .addFunctionTool(Clients.chatFunction("add_comment", "text"));
    }

    @Test
    void aTextReplyArrivesAsTheAssistantMessageWithTheScriptedUsage() {
        fake.enqueue(Reply.text("Looks good to me.").withUsage(Usage.of(1200, 40, 1024).withReasoningTokens(8)));

        ChatCompletion completion = client.chat().completions().create(reviewRequest().build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Looks good to me.");
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("gpt-4.1-mini");
        assertThat(completion.id()).isEqualTo("chatcmpl-1");
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(1200);
        assertThat(usage.completionTokens()).isEqualTo(40);
        assertThat(usage.totalTokens()).isEqualTo(1240);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(1024L);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(8L);
    }

    @Test
    void theRecordedRequestShowsModelToolsMessagesAndTokenLimit() {
        fake.enqueue(Reply.text("ok"));

        client.chat().completions().create(reviewRequest().build());

        RecordedRequest request = fake.lastRequest();
        assertThat(request.api()).isEqualTo(Api.CHAT);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.model()).contains("gpt-4.1-mini");
        assertThat(request.maxTokens()).hasValue(512);
        assertThat(request.toolNames()).containsExactly("get_diff", "add_comment");
        assertThat(request.messages()).extracting(m -> m.path("role").asText()).containsExactly("system", "user");
        assertThat(request.lastUserText()).contains("Review PR 7");
        assertThat(request.hasAuthorization()).isTrue();
        assertThat(request.headers()).containsEntry("authorization", "<redacted>");
        assertThat(request.rawBody()).doesNotContain("test-key");
    }

    @Test
    void aToolCallTurnIsAnsweredAndTheToolResultSentBackIsRecorded() {
        fake.enqueue(Reply.toolCall("get_diff", "{\"pr\":\"7\"}"), Reply.text("Done."));

        ChatCompletion first = client.chat().completions().create(reviewRequest().build());
        ChatCompletionMessage assistant = first.choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(first.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(assistant.content()).isEmpty();
        assertThat(call.id()).isEqualTo("call_1");
        assertThat(call.function().name()).isEqualTo("get_diff");
        assertThat(call.function().arguments()).isEqualTo("{\"pr\":\"7\"}");

        ChatCompletion second = client.chat().completions().create(reviewRequest()
                .addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.id())
                        .content("diff --git a/x b/x")
                        .build())
                .build());

        assertThat(second.choices().getFirst().message().content()).contains("Done.");
        RecordedRequest followUp = fake.requests().get(1);
        assertThat(followUp.toolResults()).containsExactly(new ToolResult("call_1", "diff --git a/x b/x"));
        assertThat(followUp.messages()).extracting(m -> m.path("role").asText())
                .containsExactly("system", "user", "assistant", "tool");
        assertThat(followUp.messages().get(2).path("tool_calls").get(0).path("function").path("name").asText())
                .isEqualTo("get_diff");
        assertThat(fake.requests().getFirst().toolResults()).isEmpty();
    }

    @Test
    void severalToolCallsInOneTurnKeepTheirOrderAndGivenIds() {
        fake.enqueue(Reply.toolCalls(
                ToolCall.of("get_diff", "{\"pr\":\"7\"}"),
                ToolCall.of("get_diff", "{\"pr\":\"8\"}").withId("call_custom"),
                ToolCall.of("add_comment", "{\"text\":\"hi\"}")));

        ChatCompletion completion = client.chat().completions().create(reviewRequest().build());

        List<ChatCompletionMessageFunctionToolCall> calls = completion.choices().getFirst().message().toolCalls()
                .orElseThrow().stream().map(c -> c.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id)
                .containsExactly("call_1", "call_custom", "call_2");
        assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_diff", "get_diff", "add_comment");
        assertThat(calls).extracting(c -> c.function().arguments())
                .containsExactly("{\"pr\":\"7\"}", "{\"pr\":\"8\"}", "{\"text\":\"hi\"}");
    }

    @Test
    void usageIsEstimatedFromTheSizesWhenTheReplySetsNone() {
        fake.enqueue(Reply.text("x".repeat(400)));

        ChatCompletion completion = client.chat().completions().create(reviewRequest().build());

        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(fake.lastRequest().rawBody().length() / 4);
        assertThat(usage.completionTokens()).isEqualTo(100);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);
    }

    @Test
    void anExhaustedScriptWithoutFallbackFailsFastWithABadRequest() {
        assertThatThrownBy(() -> client.chat().completions().create(reviewRequest().build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("fake_script_exhausted");
                    assertThat(e.getMessage()).contains("no scripted reply left");
                });
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aStreamingRequestIsRefusedWithoutConsumingAReply() {
        fake.enqueue(Reply.text("still here"));

        assertThatThrownBy(() -> client.chat().completions().createStreaming(reviewRequest().build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.code()).contains("fake_streaming_unsupported"));

        assertThat(fake.pendingReplies()).isEqualTo(1);
        assertThat(client.chat().completions().create(reviewRequest().build()).choices().getFirst().message()
                .content()).contains("still here");
    }

    @Test
    void concurrentRequestsEachConsumeADifferentReply() throws Exception {
        int n = 16;
        for (int i = 0; i < n; i++) {
            fake.enqueue(Reply.text("reply " + i));
        }
        List<String> answers;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(executor.submit(() -> client.chat().completions().create(reviewRequest().build())
                        .choices().getFirst().message().content().orElseThrow()));
            }
            answers = new ArrayList<>();
            for (var future : futures) {
                answers.add(future.get());
            }
        }

        assertThat(answers).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, n).mapToObj(i -> "reply " + i).toList());
        assertThat(fake.requests()).extracting(RecordedRequest::index)
                .containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        assertThat(fake.pendingReplies()).isZero();
    }

    @Test
    void awaitRequestsReturnsOnceEnoughRequestsArrived() throws Exception {
        fake.enqueue(Reply.text("late").after(Duration.ofMillis(100)));
        Thread caller = Thread.ofVirtual().start(() -> client.chat().completions().create(reviewRequest().build()));

        List<RecordedRequest> requests = fake.awaitRequests(1, Duration.ofSeconds(5));

        assertThat(requests).singleElement().extracting(RecordedRequest::api).isEqualTo(Api.CHAT);
        caller.join();
        assertThatThrownBy(() -> fake.awaitRequests(2, Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected 2 requests");
    }
}
