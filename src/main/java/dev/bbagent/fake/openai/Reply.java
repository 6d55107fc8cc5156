package dev.bbagent.fake.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted step of {@link FakeOpenAi}: what it answers to one request. A reply does not know which API
 * it will answer; the same {@link Answer} renders as a chat completion or as a Responses API response.
 *
 * <p>Every reply can be delayed with {@link #after(Duration)}, to test client timeouts.
 *
 * <pre>{@code
 * Reply.text("Looks good to me.").withUsage(Usage.of(1200, 40, 1024))
 * Reply.toolCall("get_pull_request", "{\"id\":7}")
 * Reply.toolCalls(ToolCall.of("read_file", "{\"path\":\"a\"}"), ToolCall.of("read_file", "{\"path\":\"b\"}"))
 * Reply.rateLimited(Duration.ofSeconds(2))
 * Reply.error(503, "The engine is currently overloaded").after(Duration.ofMillis(200))
 * }</pre>
 */
public sealed interface Reply permits Reply.Answer, Reply.Failure {

    /** How long the fake waits before answering. */
    Duration delay();

    /** The same reply, sent after {@code delay}. */
    Reply after(Duration delay);

    /** An assistant message with {@code text} as its content. */
    static Answer text(String text) {
        return new Answer(Objects.requireNonNull(text, "text"), List.of(), List.of(), null, Duration.ZERO);
    }

    /** A turn in which the model calls one function; the call id is assigned by the fake. */
    static Answer toolCall(String name, String argumentsJson) {
        return toolCalls(ToolCall.of(name, argumentsJson));
    }

    /** A turn in which the model calls several functions at once (parallel tool calls). */
    static Answer toolCalls(ToolCall... calls) {
        if (calls.length == 0) {
            throw new IllegalArgumentException("a tool-call turn needs at least one call");
        }
        return new Answer(null, List.of(calls), List.of(), null, Duration.ZERO);
    }

    /** A Responses API turn whose output holds a hosted MCP call ({@code mcp_call} item) and then {@code text}. */
    static Answer mcpCall(McpCall call, String text) {
        return text(text).withMcpCall(call);
    }

    /**
     * An HTTP error with an OpenAI-shaped body. The error {@code type} and {@code code} default from the
     * status the way OpenAI fills them; change them with {@link Failure#withType} and {@link Failure#withCode}.
     */
    static Failure error(int status, String message) {
        return new Failure(status, message, Failure.defaultType(status), Failure.defaultCode(status), Map.of(),
                Duration.ZERO);
    }

    /**
     * A 429 asking the client to wait: {@code Retry-After} in whole seconds (rounded up) and
     * {@code retry-after-ms} in milliseconds, as OpenAI sends them.
     */
    static Failure rateLimited(Duration retryAfter) {
        long seconds = Math.ceilDiv(retryAfter.toMillis(), 1000);
        return error(429, "Rate limit reached for requests. Please try again in " + retryAfter.toMillis() + "ms.")
                .withHeader("Retry-After", Long.toString(seconds))
                .withHeader("retry-after-ms", Long.toString(retryAfter.toMillis()));
    }

    /** A successful turn: assistant text, function calls, hosted MCP calls, or a mix. */
    record Answer(String text, List<ToolCall> toolCalls, List<McpCall> mcpCalls, Usage usage, Duration delay)
            implements Reply {

        /**
         * @param text      the assistant text, or {@code null} for none (a pure tool-call turn)
         * @param toolCalls function calls, in order
         * @param mcpCalls  hosted MCP calls (Responses API only)
         * @param usage     the usage to report, or {@code null} to estimate it from the request and reply sizes
         * @param delay     how long to wait before answering
         */
        public Answer {
            toolCalls = List.copyOf(toolCalls);
            mcpCalls = List.copyOf(mcpCalls);
            requireNonNegative(delay);
        }

        /** The same turn with assistant text (replacing any). */
        public Answer withText(String newText) {
            return new Answer(newText, toolCalls, mcpCalls, usage, delay);
        }

        /** The same turn with one more function call. */
        public Answer withToolCall(ToolCall call) {
            return new Answer(text, append(toolCalls, call), mcpCalls, usage, delay);
        }

        /** The same turn with several more function calls. */
        public Answer withToolCalls(ToolCall... calls) {
            List<ToolCall> all = new ArrayList<>(toolCalls);
            all.addAll(Arrays.asList(calls));
            return new Answer(text, all, mcpCalls, usage, delay);
        }

        /** The same turn with one more hosted MCP call (Responses API only). */
        public Answer withMcpCall(McpCall call) {
            return new Answer(text, toolCalls, append(mcpCalls, call), usage, delay);
        }

        /** The same turn reporting {@code newUsage}. */
        public Answer withUsage(Usage newUsage) {
            return new Answer(text, toolCalls, mcpCalls, Objects.requireNonNull(newUsage, "usage"), delay);
        }

        /** The same turn reporting these token counts. */
        public Answer withUsage(long promptTokens, long completionTokens, long cachedTokens) {
            return withUsage(Usage.of(promptTokens, completionTokens, cachedTokens));
        }

        @Override
        public Answer after(Duration newDelay) {
            return new Answer(text, toolCalls, mcpCalls, usage, newDelay);
        }

        private static <T> List<T> append(List<T> list, T item) {
            List<T> all = new ArrayList<>(list);
            all.add(Objects.requireNonNull(item));
            return all;
        }
    }

    /**
     * An HTTP error answered as {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}.
     *
     * @param status  the HTTP status, 400 to 599
     * @param message the error message
     * @param type    the error type, e.g. {@code invalid_request_error}, {@code server_error}
     * @param code    the error code, e.g. {@code rate_limit_exceeded}, or {@code null}
     * @param headers extra response headers, e.g. {@code Retry-After}
     * @param delay   how long to wait before answering
     */
    record Failure(int status, String message, String type, String code, Map<String, String> headers, Duration delay)
            implements Reply {

        public Failure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error reply needs a 4xx or 5xx status, not " + status);
            }
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(type, "type");
            headers = Map.copyOf(headers);
            requireNonNegative(delay);
        }

        public Failure withType(String newType) {
            return new Failure(status, message, newType, code, headers, delay);
        }

        /** The same error with another {@code code}; {@code null} sends {@code "code": null}. */
        public Failure withCode(String newCode) {
            return new Failure(status, message, type, newCode, headers, delay);
        }

        /** The same error with one more response header. */
        public Failure withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Failure(status, message, type, code, all, delay);
        }

        @Override
        public Failure after(Duration newDelay) {
            return new Failure(status, message, type, code, headers, newDelay);
        }

        static String defaultType(int status) {
            return switch (status) {
                case 429 -> "requests";
                case 403 -> "permission_error";
                default -> status >= 500 ? "server_error" : "invalid_request_error";
            };
        }

        static String defaultCode(int status) {
            return switch (status) {
                case 401 -> "invalid_api_key";
                case 429 -> "rate_limit_exceeded";
                default -> null;
            };
        }
    }

    private static void requireNonNegative(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
    }
}
