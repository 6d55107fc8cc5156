package dev.bbagent.fake.openai;

/** Which OpenAI endpoint a {@link RecordedRequest} was sent to. */
public enum Api {
    /** {@code POST /v1/chat/completions}. */
    CHAT,
    /** {@code POST /v1/responses}. */
    RESPONSES,
    /** Anything else: {@code GET /v1/models} and unknown paths. */
    OTHER;

    static Api ofPath(String path) {
        return switch (path) {
            case FakeOpenAi.CHAT_PATH -> CHAT;
            case FakeOpenAi.RESPONSES_PATH -> RESPONSES;
            default -> OTHER;
        };
    }
}
