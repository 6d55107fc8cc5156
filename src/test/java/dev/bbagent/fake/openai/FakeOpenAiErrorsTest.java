package dev.bbagent.fake.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiErrorsTest {

    private static final ChatCompletionCreateParams HELLO = ChatCompletionCreateParams.builder()
            .model("gpt-4.1-mini")
            .addUserMessage("hello")
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

    @Test
    void aRateLimitSurfacesAsRateLimitExceptionWithReadableRetryAfterHeaders() {
        fake.enqueue(Reply.rateLimited(Duration.ofMillis(1500)));

        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("Retry-After")).containsExactly("2");
                    assertThat(e.headers().values("retry-after")).containsExactly("2");
                    assertThat(e.headers().values("retry-after-ms")).containsExactly("1500");
                    assertThat(e.code()).contains("rate_limit_exceeded");
                    assertThat(e.type()).contains("requests");
                    assertThat(e.getMessage()).startsWith("429: Rate limit reached");
                });
    }

    @Test
    void aServerErrorSurfacesAsInternalServerExceptionWithItsStatus() {
        fake.enqueue(Reply.error(500, "The server had an error while processing your request."),
                Reply.error(503, "The engine is currently overloaded, please try again later."));

        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.type()).contains("server_error");
                    assertThat(e.code()).isEmpty();
                });
        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    }

    @Test
    void clientErrorsMapToTheirOpenAiExceptionsWithTypeAndCode() {
        fake.enqueue(Reply.error(401, "Incorrect API key provided."),
                Reply.error(400, "This model's maximum context length is 128000 tokens.")
                        .withCode("context_length_exceeded"));

        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(UnauthorizedException.class,
                        e -> assertThat(e.code()).contains("invalid_api_key"));
        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("context_length_exceeded");
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("maximum context length");
                });
    }

    @Test
    void aDelayedReplyTripsTheClientReadTimeoutAndTheNextStepStillAnswers() {
        fake.enqueue(Reply.text("too late").after(Duration.ofSeconds(30)), Reply.text("on time"));
        RequestOptions impatient = RequestOptions.builder()
                .timeout(Timeout.builder().read(Duration.ofMillis(300)).build())
                .build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.chat().completions().create(HELLO, impatient))
                .isInstanceOf(OpenAIIoException.class)
                .hasCauseInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        assertThat(client.chat().completions().create(HELLO).choices().getFirst().message().content())
                .contains("on time");
    }

    @Test
    void aDelayedErrorArrivesAfterItsDelay() {
        fake.enqueue(Reply.error(503, "overloaded").after(Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOf(InternalServerException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anUnknownPathAnswersNotFoundWithAnOpenAiErrorBody() {
        assertThatThrownBy(() -> client.models().retrieve("gpt-4.1-mini"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("unknown_url");
                    assertThat(e.getMessage()).contains("GET /v1/models/gpt-4.1-mini");
                });
        assertThat(fake.lastRequest().path()).isEqualTo("/v1/models/gpt-4.1-mini");
        assertThat(fake.lastRequest().api()).isEqualTo(Api.OTHER);
    }

    @Test
    void aScriptedNotFoundKeepsItsOwnMessage() {
        fake.enqueue(Reply.error(404, "The model `gpt-9` does not exist or you do not have access to it.")
                .withCode("model_not_found"));

        assertThatThrownBy(() -> client.chat().completions().create(HELLO))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.getMessage()).contains("does not exist");
                });
    }

    @Test
    void theModelListNamesTheModelsRequestedSoFar() {
        assertThat(client.models().list().data()).extracting(Model::id).containsExactly(FakeOpenAi.DEFAULT_MODEL);

        fake.enqueue(Reply.text("hi"));
        client.chat().completions().create(HELLO);

        assertThat(client.models().list().data()).extracting(Model::id).containsExactly("gpt-4.1-mini");
    }
}
