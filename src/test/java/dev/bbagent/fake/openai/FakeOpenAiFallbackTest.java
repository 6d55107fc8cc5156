package dev.bbagent.fake.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiFallbackTest {

    /** A tiny deterministic "model": call the first offered tool with the prompt, then summarise its result. */
    private static Reply tinyModel(RecordedRequest request) {
        if (!request.toolNames().isEmpty() && request.toolResults().isEmpty()) {
            String prompt = request.lastUserText().orElse("");
            return Reply.toolCall(request.toolNames().getFirst(), "{\"pr\":\"" + prompt.replaceAll("\\D", "") + "\"}");
        }
        return Reply.text(request.toolResults().isEmpty() ? "Nothing to do."
                : "Summary: " + request.toolResults().getLast().output());
    }

    private FakeOpenAi fake;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        fake = FakeOpenAi.started().fallback(FakeOpenAiFallbackTest::tinyModel);
        client = Clients.of(fake);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void theFallbackAnswersWhenTheScriptIsEmptyAndCanDriveAToolLoop() {
        ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini")
                .addUserMessage("Review PR 42")
                .addFunctionTool(Clients.chatFunction("get_diff", "pr"));

        ChatCompletionMessage first = client.chat().completions().create(request.build())
                .choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall call = first.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().arguments()).isEqualTo("{\"pr\":\"42\"}");

        ChatCompletion second = client.chat().completions().create(request
                .addMessage(first)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("+1 line").build())
                .build());

        assertThat(second.choices().getFirst().message().content()).contains("Summary: +1 line");
    }

    @Test
    void scriptedRepliesComeBeforeTheFallback() {
        fake.enqueue(Reply.text("scripted"));
        ChatCompletionCreateParams hello = ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini").addUserMessage("hello").build();

        assertThat(client.chat().completions().create(hello).choices().getFirst().message().content())
                .contains("scripted");
        assertThat(client.chat().completions().create(hello).choices().getFirst().message().content())
                .contains("Nothing to do.");
    }
}
