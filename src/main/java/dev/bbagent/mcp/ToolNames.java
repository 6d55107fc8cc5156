package dev.bbagent.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Function names for the model: {@code server__tool}, within OpenAI's {@code ^[a-zA-Z0-9_-]{1,64}$}.
 *
 * <p>A name that already fits is used as is ({@code bitbucket__get_pull_request}). Otherwise invalid
 * characters become {@code _}, the name is cut to fit, and an 8-hex-digit hash of the original server
 * and tool is appended ({@code jira__search.issues} becomes {@code jira__search_issues_1a2b3c4d}), so
 * a changed name never collides with a name that fits as is and is the same in every run.
 *
 * <p>An instance remembers the names it gave so that {@link #resolve} maps a function name the model
 * called back to its server and tool. When two tools yield the same plain name (only possible with
 * {@code __} inside a server or tool name: {@code a__b}+{@code c} and {@code a}+{@code b__c}), the one
 * named second gets a hash suffix too. Thread-safe.
 */
public final class ToolNames {

    /** What OpenAI accepts as a function name. */
    public static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    /** Between server and tool. */
    public static final String SEPARATOR = "__";

    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9_-]");
    private static final int MAX = 64;
    private static final int HASH_HEX = 8;

    /** A tool of a server. */
    public record Ref(String server, String tool) {
        public Ref {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(tool, "tool");
        }
    }

    private final Map<String, Ref> byName = new HashMap<>();
    private final Map<Ref, String> byRef = new HashMap<>();

    /** The function name of a tool, remembered for {@link #resolve}. The same tool always gets the same name. */
    public synchronized String name(String server, String tool) {
        Ref ref = new Ref(server, tool);
        String known = byRef.get(ref);
        if (known != null) {
            return known;
        }
        String name = functionName(server, tool);
        for (int salt = 1; byName.containsKey(name); salt++) {
            name = hashed(server, tool, salt);
        }
        byName.put(name, ref);
        byRef.put(ref, name);
        return name;
    }

    /** The server and tool a function name was given to by {@link #name}. */
    public synchronized Optional<Ref> resolve(String functionName) {
        return Optional.ofNullable(byName.get(functionName));
    }

    /**
     * The function name of a tool without remembering it: {@code server__tool} when that fits the
     * pattern, else the cleaned, shortened name with a hash suffix.
     */
    public static String functionName(String server, String tool) {
        String plain = server + SEPARATOR + tool;
        return FUNCTION_NAME.matcher(plain).matches() ? plain : hashed(server, tool, 0);
    }

    private static String hashed(String server, String tool, int salt) {
        String clean = INVALID.matcher(server + SEPARATOR + tool).replaceAll("_");
        String suffix = "_" + hash(server + '\0' + tool + (salt == 0 ? "" : "\0" + salt));
        int keep = MAX - suffix.length();
        return (clean.length() > keep ? clean.substring(0, keep) : clean) + suffix;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
