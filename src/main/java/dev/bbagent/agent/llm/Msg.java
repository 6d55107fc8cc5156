package dev.bbagent.agent.llm;

import java.util.List;

/** A conversation item, independent of which OpenAI-compatible API carries it. */
public sealed interface Msg {

    /** System prompt (Chat Completions "system", Responses "instructions"). */
    record System(String text) implements Msg {}

    record User(String text) implements Msg {}

    /** An assistant turn: its text (may be empty) and the tool calls it asked for. */
    record Assistant(String text, List<ToolCall> toolCalls) implements Msg {
        public Assistant {
            text = text == null ? "" : text;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    /** The result of one tool call, sent back to the model. */
    record ToolResult(String callId, String name, String text) implements Msg {}

    /** A function call the model asked for: its id, the function name and the JSON arguments as text. */
    record ToolCall(String id, String name, String arguments) {}

    /** A call the Responses API made to a hosted MCP server by itself (recorded, never executed here). */
    record HostedCall(String server, String tool, String arguments, String output, String error) {}
}
