package dev.bbagent.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.errors.OpenAIIoException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {

    private static final String URL = "http://127.0.0.1:9/v1";

    @Test
    void anInterruptedRequestIsNotAModelFailure() {
        for (Throwable cause : new Throwable[] {new SocketException("Closed by interrupt"), new ClosedByInterruptException(),
                new InterruptedIOException("interrupted")}) {
            LlmException e = OpenAiErrors.classify(new OpenAIIoException("Request failed", cause), URL);
            assertThat(e.kind()).as("%s", cause).isEqualTo(LlmException.INTERRUPTED);
            assertThat(e.isInterrupted()).isTrue();
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).doesNotContain("cannot reach");
        }
    }

    @Test
    void timeoutsAndRefusedConnectionsStayModelFailures() {
        assertThat(OpenAiErrors.classify(new OpenAIIoException("x", new SocketTimeoutException("timeout")), URL).kind())
                .isEqualTo("timeout");
        assertThat(OpenAiErrors.classify(new OpenAIIoException("x", new InterruptedIOException("timeout")), URL).kind())
                .isEqualTo("timeout");
        LlmException refused = OpenAiErrors.classify(new OpenAIIoException("x", new SocketException("Connection refused")), URL);
        assertThat(refused.kind()).isEqualTo("unreachable");
        assertThat(refused.isTransient()).isTrue();
    }

    @Test
    void aRequestOnAnInterruptedThreadIsInterrupted() {
        Thread.currentThread().interrupt();
        try {
            assertThat(OpenAiErrors.classify(new OpenAIIoException("x", new SocketException("Connection reset")), URL)
                    .kind()).isEqualTo(LlmException.INTERRUPTED);
        } finally {
            Thread.interrupted();
        }
    }
}
