package dev.bbagent.agent.llm;

import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import java.time.Duration;
import java.util.List;

/** Sorts openai-java's exceptions into transient and permanent failures, with the wait a server asked for. */
final class OpenAiErrors {

    private OpenAiErrors() {}

    static LlmException classify(RuntimeException e, String baseUrl) {
        if (e instanceof LlmException le) {
            return le;
        }
        if (interrupted(e)) {
            // Shutdown or a cancel interrupted the worker: the model API may be fine. Not transient, not counted,
            // not retried, and the circuit breaker ignores it (LlmClient).
            return new LlmException("the request to the model API at " + baseUrl + " was interrupted (bbagent is"
                    + " stopping the run)", false, null, LlmException.INTERRUPTED, e);
        }
        if (e instanceof RateLimitException r) {
            return new LlmException("the model API at " + baseUrl + " is rate limiting (429): " + detail(r), true,
                    retryAfter(r), "rate_limited", e);
        }
        if (e instanceof InternalServerException s) {
            return new LlmException("the model API at " + baseUrl + " failed (" + s.statusCode() + "): " + detail(s), true,
                    retryAfter(s), "server_error", e);
        }
        if (e instanceof UnauthorizedException || e instanceof PermissionDeniedException) {
            return new LlmException("the model API at " + baseUrl + " refused the credentials ("
                    + ((OpenAIServiceException) e).statusCode() + "): check OPENAI_API_KEY", false, null, "auth", e);
        }
        if (e instanceof OpenAIServiceException s) {
            int code = s.statusCode();
            boolean again = code == 408 || code == 409;
            return new LlmException("the model API at " + baseUrl + " answered " + code + ": " + detail(s), again,
                    again ? retryAfter(s) : null, again ? "server_error" : "client_error", e);
        }
        if (e instanceof OpenAIIoException) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            boolean timeout = c instanceof java.io.InterruptedIOException;
            return new LlmException((timeout ? "the model API at " + baseUrl + " did not answer in time"
                    : "cannot reach the model API at " + baseUrl + ": " + c.getMessage()), true, null,
                    timeout ? "timeout" : "unreachable", e);
        }
        if (e instanceof OpenAIInvalidDataException) {
            return new LlmException("the model API at " + baseUrl + " sent a reply bbagent cannot read: " + e.getMessage(),
                    true, null, "bad_response", e);
        }
        return new LlmException("calling the model API at " + baseUrl + " failed: " + e, true, null, "error", e);
    }

    /**
     * Whether a failure is the calling thread's interruption rather than the network's: the flag is set, or
     * the cause is an interrupted NIO channel ({@code ClosedByInterruptException}), a virtual thread's
     * socket closed by the interrupt ({@code SocketException: Closed by interrupt}), an
     * {@code InterruptedException}, or okio's {@code InterruptedIOException("interrupted")}. OkHttp's timeouts
     * ({@code SocketTimeoutException}, "timeout") are not.
     */
    static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.nio.channels.ClosedByInterruptException || c instanceof InterruptedException) {
                return true;
            }
            // A virtual thread interrupted in a socket read: the JDK closes the socket and says so.
            if (c instanceof java.net.SocketException && "Closed by interrupt".equals(c.getMessage())) {
                return true;
            }
            if (c.getClass() == java.io.InterruptedIOException.class && "interrupted".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String detail(OpenAIServiceException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** {@code retry-after-ms}, else {@code retry-after} in seconds. */
    static Duration retryAfter(OpenAIServiceException e) {
        try {
            List<String> ms = e.headers().values("retry-after-ms");
            if (!ms.isEmpty()) {
                return Duration.ofMillis((long) Double.parseDouble(ms.getFirst().trim()));
            }
            List<String> s = e.headers().values("retry-after");
            if (!s.isEmpty()) {
                return Duration.ofMillis((long) (Double.parseDouble(s.getFirst().trim()) * 1000));
            }
        } catch (NumberFormatException ignored) {
            // an HTTP date or garbage: fall back to our own backoff
        }
        return null;
    }
}
