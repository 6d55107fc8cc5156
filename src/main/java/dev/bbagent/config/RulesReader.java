package dev.bbagent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
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
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return failed(name, "", new Problem(name, 0, "", "file not found; create it (see docs/rules.md) or point "
                    + "BBAGENT_RULES / --rules at your rules file"));
        } catch (AccessDeniedException e) {
            return failed(name, "", new Problem(name, 0, "", "cannot read: permission denied"));
        } catch (IOException e) {
            return failed(name, "", new Problem(name, 0, "", "cannot read: " + e.getMessage()));
        }
        Decoded d = decode(bytes);
        if (d.text() == null) {
            return new Read(name, versionOf(bytes), "", null, null, List.of(new Problem(name, d.line(), "",
                    "the file is not valid UTF-8 (" + d.bad() + " at line " + d.line() + ", column " + d.column()
                            + "); save it as UTF-8")));
        }
        return read(name, d.text(), env);
    }

    /** The text, or where the first byte that is not UTF-8 is ({@code text} null). */
    private record Decoded(String text, String bad, int line, int column) {}

    /** Strict UTF-8: a malformed byte is reported with its line and column, not replaced. */
    private static Decoded decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (!r.isError()) {
            return new Decoded(out.flip().toString(), null, 0, 0);
        }
        int at = in.position();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String before = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8);
        int column = before.codePointCount(0, before.length()) + 1;
        StringBuilder bad = new StringBuilder(r.length() == 1 ? "byte" : "bytes");
        for (int i = at; i < at + r.length() && i < bytes.length; i++) {
            bad.append(" 0x").append(HexFormat.of().toHexDigits(bytes[i]));
        }
        return new Decoded(null, bad.toString(), line, column);
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
        return versionOf(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first 12 hex characters of the SHA-256 of the file's bytes (the same as of its text when it is UTF-8). */
    public static String versionOf(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
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
