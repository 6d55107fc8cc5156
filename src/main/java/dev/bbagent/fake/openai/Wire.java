package dev.bbagent.fake.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON plumbing the renderers share. */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The model named in replies when the request names none. */
    static final String DEFAULT_MODEL = "gpt-fake";

    private Wire() {}

    /** OpenAI's error envelope: {@code {"error":{"message":..,"type":..,"param":null,"code":..}}}. */
    static ObjectNode errorBody(String message, String type, String code) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code);
        return root;
    }

    static String model(RecordedRequest request) {
        return request.model().orElse(DEFAULT_MODEL);
    }
}
