package dev.bbagent.agent.llm;

import java.util.List;

/** What the model answered: text, tool calls to run, hosted MCP calls it made, and the tokens used. */
public record LlmReply(String text, List<Msg.ToolCall> toolCalls, List<Msg.HostedCall> hostedCalls, Usage usage) {

    public LlmReply {
        text = text == null ? "" : text;
        toolCalls = List.copyOf(toolCalls);
        hostedCalls = List.copyOf(hostedCalls);
    }

    /** Tokens of one request. Cached prompt tokens are part of {@code prompt}. */
    public record Usage(long prompt, long completion, long cached) {

        public static final Usage NONE = new Usage(0, 0, 0);

        public Usage plus(Usage o) {
            return new Usage(prompt + o.prompt, completion + o.completion, cached + o.cached);
        }

        public long total() {
            return prompt + completion;
        }
    }
}
