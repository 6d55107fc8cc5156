package dev.bbagent.fake.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.responses.FunctionTool;
import java.util.Map;

/** The real openai-java client, pointed at a fake, and tool definitions the tests offer. */
final class Clients {

    private Clients() {}

    /**
     * A client that validates every response eagerly ({@code responseValidation(true)}), so a shape the SDK
     * would reject fails the test even if the test does not read that field.
     */
    static OpenAIClient of(FakeOpenAi fake) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey("test-key")
                .maxRetries(0)
                .responseValidation(true)
                .build();
    }

    static FunctionParameters objectSchema(String property) {
        return FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties",
                        JsonValue.from(Map.of(property, Map.of("type", "string"))))
                .build();
    }

    static FunctionDefinition chatFunction(String name, String property) {
        return FunctionDefinition.builder()
                .name(name)
                .description("test tool " + name)
                .parameters(objectSchema(property))
                .strict(false)
                .build();
    }

    static FunctionTool responsesFunction(String name, String property) {
        return FunctionTool.builder()
                .name(name)
                .description("test tool " + name)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties",
                                JsonValue.from(Map.of(property, Map.of("type", "string"))))
                        .build())
                .strict(false)
                .build();
    }
}
