package dev.bbagent.fake.openai;

import java.util.Objects;

/**
 * One function call the fake model makes in a turn.
 *
 * @param id        the call id the client must echo back with the tool result; {@code null} lets the fake
 *                  assign {@code call_1}, {@code call_2}, ... in the order calls are rendered
 * @param name      the function name, as offered in the request's tools
 * @param arguments the arguments as a JSON text, sent verbatim (it is deliberately not validated, so tests
 *                  can also script malformed arguments)
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool call name is blank");
        }
    }

    /** A call whose id the fake assigns. */
    public static ToolCall of(String name, String argumentsJson) {
        return new ToolCall(null, name, argumentsJson);
    }

    /** The same call with a fixed id. */
    public ToolCall withId(String callId) {
        return new ToolCall(Objects.requireNonNull(callId, "callId"), name, arguments);
    }
}
