package dev.bbagent.agent.llm;

/** One of the two OpenAI-compatible APIs; implementations translate, the client retries and measures. */
public interface LlmApi {

    /** @throws LlmException for any failure, classified */
    LlmReply complete(LlmRequest request);
}
