package dev.bbagent.fake.openai;

/**
 * Token usage reported with a reply. Chat completions report it as {@code prompt_tokens},
 * {@code completion_tokens}, {@code prompt_tokens_details.cached_tokens} and
 * {@code completion_tokens_details.reasoning_tokens}; the Responses API as {@code input_tokens},
 * {@code output_tokens}, {@code input_tokens_details.cached_tokens} and
 * {@code output_tokens_details.reasoning_tokens}. Both report {@code total_tokens}.
 *
 * @param promptTokens     input tokens, cached ones included
 * @param completionTokens output tokens, reasoning ones included
 * @param cachedTokens     the part of {@code promptTokens} served from the prompt cache
 * @param reasoningTokens  the part of {@code completionTokens} spent on reasoning
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (cachedTokens > promptTokens) {
            throw new IllegalArgumentException("cached tokens exceed prompt tokens");
        }
        if (reasoningTokens > completionTokens) {
            throw new IllegalArgumentException("reasoning tokens exceed completion tokens");
        }
    }

    /** Usage without cached or reasoning tokens. */
    public static Usage of(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, 0, 0);
    }

    /** Usage with a number of prompt tokens served from the cache. */
    public static Usage of(long promptTokens, long completionTokens, long cachedTokens) {
        return new Usage(promptTokens, completionTokens, cachedTokens, 0);
    }

    public Usage withCachedTokens(long cached) {
        return new Usage(promptTokens, completionTokens, cached, reasoningTokens);
    }

    public Usage withReasoningTokens(long reasoning) {
        return new Usage(promptTokens, completionTokens, cachedTokens, reasoning);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The usage reported when a reply sets none: about one token per four characters, as OpenAI's rule of thumb. */
    static Usage estimate(RecordedRequest request, Reply.Answer answer) {
        long outputChars = answer.text() == null ? 0 : answer.text().length();
        for (ToolCall call : answer.toolCalls()) {
            outputChars += call.name().length() + call.arguments().length();
        }
        return of(Math.max(1, request.rawBody().length() / 4), Math.max(1, outputChars / 4));
    }
}
