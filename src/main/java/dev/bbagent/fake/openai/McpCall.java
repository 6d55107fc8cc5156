package dev.bbagent.fake.openai;

import java.util.Objects;

/**
 * A call the model made to a hosted MCP tool on the OpenAI side, rendered as a Responses API
 * {@code mcp_call} output item. It only exists in the Responses API: a chat completion cannot carry it.
 *
 * @param serverLabel the {@code server_label} of the hosted MCP tool offered in the request
 * @param name        the MCP tool name
 * @param arguments   the arguments as a JSON text
 * @param output      the tool's output, or {@code null} when the call failed
 * @param error       the failure message, or {@code null} when the call succeeded
 */
public record McpCall(String serverLabel, String name, String arguments, String output, String error) {

    public McpCall {
        Objects.requireNonNull(serverLabel, "serverLabel");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if ((output == null) == (error == null)) {
            throw new IllegalArgumentException("an MCP call has exactly one of output and error");
        }
    }

    /** A successful hosted MCP call. */
    public static McpCall of(String serverLabel, String name, String argumentsJson, String output) {
        return new McpCall(serverLabel, name, argumentsJson, Objects.requireNonNull(output, "output"), null);
    }

    /** A hosted MCP call whose tool failed with {@code error}. */
    public static McpCall failed(String serverLabel, String name, String argumentsJson, String error) {
        return new McpCall(serverLabel, name, argumentsJson, null, Objects.requireNonNull(error, "error"));
    }
}
