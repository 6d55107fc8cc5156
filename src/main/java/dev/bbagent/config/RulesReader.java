package dev.bbagent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads a rules file: YAML with line numbers, then {@code ${VAR}} interpolation, then the schema check,
 * then binding to {@link RulesFile}. Every problem found is collected (not just the first), each with
 * its file and line. Meaning-level checks (CEL, templates, tool names) happen in {@code dev.bbagent.rules}.
 */
public final class RulesReader {

    private static final ObjectMapper BINDER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What reading produced.
     *
     * @param file null when there were structural problems
     * @param version a short content hash that names this version of the file
     * @param text the file's text as read
     */
    public record Read(String name, String version, String text, RulesFile file, YamlTree tree, List<Problem> problems) {

        public boolean ok() {
            return problems.isEmpty() && file != null;
        }
    }

    private RulesReader() {}

    public static Read read(Path path, Map<String, String> env) {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return failed(name, "", new Problem(name, 0, "", "file not found; create it (see docs/rules.md) or point "
                    + "BBAGENT_RULES / --rules at your rules file"));
        } catch (IOException e) {
            return failed(name, "", new Problem(name, 0, "", "cannot read: " + e.getMessage()));
        }
        return read(name, text, env);
    }

    public static Read read(String name, String text, Map<String, String> env) {
        String version = versionOf(text);
        YamlTree tree = YamlTree.parse(name, text);
        List<Problem> problems = new ArrayList<>(tree.problems());
        if (tree.root() == null) {
            return new Read(name, version, text, null, tree, problems);
        }
        if (!tree.root().isObject()) {
            problems.add(new Problem(name, 1, "", "the file must be a map with 'version: 1' and 'rules:'"));
            return new Read(name, version, text, null, tree, problems);
        }
        JsonNode raw = tree.root();
        JsonNode resolved = EnvInterpolation.apply(raw, env, (pointer, variable) -> {
            if (inDisabledSection(raw, pointer)) {
                return false;
            }
            problems.add(new Problem(name, tree.line(pointer), YamlTree.display(pointer),
                    "environment variable " + variable + " is not set; set it, give a default with ${"
                            + variable + ":-value}, or mark this section 'enabled: false'"));
            return true;
        });
        problems.addAll(RulesSchema.check(name, tree, resolved));
        if (!problems.isEmpty()) {
            return new Read(name, version, text, null, tree, problems);
        }
        try {
            RulesFile file = BINDER.treeToValue(resolved, RulesFile.class);
            return new Read(name, version, text, file, tree, problems);
        } catch (IOException e) {
            problems.add(new Problem(name, 0, "", "cannot read the rules: " + (e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage())));
            return new Read(name, version, text, null, tree, problems);
        }
    }

    /** Variables of a server or rule marked {@code enabled: false} need not be set. */
    private static boolean inDisabledSection(JsonNode root, String pointer) {
        String[] parts = pointer.split("/");
        if (parts.length >= 3 && (parts[1].equals("mcp_servers") || parts[1].equals("rules"))) {
            JsonNode section = root.at("/" + parts[1] + "/" + parts[2]);
            JsonNode enabled = section.get("enabled");
            return enabled != null && (enabled.isBoolean() ? !enabled.asBoolean() : "false".equals(enabled.asText()));
        }
        return false;
    }

    private static Read failed(String name, String text, Problem p) {
        return new Read(name, versionOf(text), text, null, null, List.of(p));
    }

    /** The first 12 hex characters of the SHA-256 of the text. */
    public static String versionOf(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON schema of the rules file, for editors. */
    public static JsonNode schema() {
        return RulesSchema.document();
    }
}
