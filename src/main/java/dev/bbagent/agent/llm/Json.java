package dev.bbagent.agent.llm;

import com.openai.core.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts MCP input schemas (maps) into the JSON values openai-java sends unchanged. */
final class Json {

    private Json() {}

    static Map<String, JsonValue> values(Map<String, Object> map) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, JsonValue.from(v)));
        return out;
    }
}
