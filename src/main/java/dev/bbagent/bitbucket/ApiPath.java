package dev.bbagent.bitbucket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A path below the API root, built from segments that are percent-encoded one by one, so that a value such as
 * {@code ../user} or {@code a?b} stays inside its segment: {@code ApiPath.of("repositories", workspace, repoSlug)}.
 * Immutable.
 */
public final class ApiPath {

    private final String encoded;

    private ApiPath(String encoded) {
        this.encoded = encoded;
    }

    /** A path of these segments, each encoded; e.g. {@code of("user", "workspaces")} is {@code /user/workspaces}. */
    public static ApiPath of(String... segments) {
        return new ApiPath("").then(segments);
    }

    /** This path followed by more segments, each encoded ({@code /} inside a segment becomes {@code %2F}). */
    public ApiPath then(String... segments) {
        StringBuilder out = new StringBuilder(encoded);
        for (String segment : segments) {
            out.append('/').append(encodeSegment(segment));
        }
        return new ApiPath(out.toString());
    }

    /**
     * This path followed by a slash-separated path such as a file path {@code src/app.py} or a branch name
     * {@code feature/x}: each part is encoded and the slashes stay. Empty, {@code .} and {@code ..} parts are refused.
     */
    public ApiPath thenPath(String slashSeparated) {
        Objects.requireNonNull(slashSeparated, "path");
        return then(slashSeparated.split("/", -1));
    }

    /** The encoded path, starting with {@code /}. */
    public String encoded() {
        return encoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiPath p && p.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return encoded;
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters and {@code :} and {@code @}. */
    static String encodeSegment(String segment) {
        Objects.requireNonNull(segment, "path segment");
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("'" + segment + "' is not a usable path segment");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
