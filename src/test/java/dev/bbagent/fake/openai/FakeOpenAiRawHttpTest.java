package dev.bbagent.fake.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.fake.openai.RecordedRequest.ToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge cases the openai-java client never sends, exercised over plain HTTP. */
class FakeOpenAiRawHttpTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private FakeOpenAi fake;

    @BeforeEach
    void start() {
        fake = FakeOpenAi.started();
    }

    @AfterEach
    void stop() {
        fake.close();
        http.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithoutConsumingAReply() throws Exception {
        fake.enqueue(Reply.text("kept"));

        HttpResponse<String> response = post("/chat/completions", "{not json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("error").path("type").asText())
                .isEqualTo("invalid_request_error");
        assertThat(fake.lastRequest().hasJsonBody()).isFalse();
        assertThat(fake.lastRequest().hasAuthorization()).isFalse();
        assertThat(fake.pendingReplies()).isEqualTo(1);
    }

    @Test
    void keepAtMostKeepsTheNewestRequestsAndCountsThemAll() throws Exception {
        fake.keepAtMost(2);

        for (int i = 0; i < 3; i++) {
            assertThat(post("/embeddings", "{\"n\":" + i + "}").statusCode()).isEqualTo(404);
        }

        assertThat(fake.requests()).extracting(RecordedRequest::index).containsExactly(1, 2);
        assertThat(fake.awaitRequests(3, java.time.Duration.ofSeconds(1))).hasSize(2);
        assertThat(fake.lastRequest().rawBody()).isEqualTo("{\"n\":2}");
    }

        @Test
    void anUnknownPathIsRecordedAndAnsweredWithAnOpenAiError() throws Exception {
        HttpResponse<String> response = post("/embeddings", "{\"model\":\"text-embedding-3-small\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("unknown_url");
        assertThat(error.path("message").asText()).contains("POST /v1/embeddings");
        assertThat(error.has("param")).isTrue();
        assertThat(fake.lastRequest().api()).isEqualTo(Api.OTHER);
        assertThat(fake.lastRequest().model()).contains("text-embedding-3-small");
    }

    @Test
    void arrayContentIsReadFromItsTextParts() throws Exception {
        fake.enqueue(Reply.text("ok"));

        post("/chat/completions", """
                {"model":"m","max_tokens":64,"messages":[
                  {"role":"user","content":[{"type":"text","text":"Review "},{"type":"text","text":"PR 7"}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                    "function":{"name":"get_diff","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"+1 line"}]}]}
                """);

        RecordedRequest request = fake.lastRequest();
        assertThat(request.lastUserText()).contains("Review PR 7");
        assertThat(request.toolResults()).containsExactly(new ToolResult("c1", "+1 line"));
        assertThat(request.maxTokens()).hasValue(64);
        assertThat(request.toString()).isEqualTo("#0 POST /v1/chat/completions model=m messages=3 toolResults=1");
    }

    @Test
    void aResponsesInputWithoutUserMessagesHasNoLastUserText() throws Exception {
        fake.enqueue(Reply.text("ok"));

        post("/responses", """
                {"model":"m","input":[{"type":"function_call_output","call_id":"c1","output":"done"}]}
                """);

        assertThat(fake.lastRequest().lastUserText()).isEmpty();
        assertThat(fake.lastRequest().toolResults()).containsExactly(new ToolResult("c1", "done"));
    }
}
