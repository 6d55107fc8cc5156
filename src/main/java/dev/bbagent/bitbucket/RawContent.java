package dev.bbagent.bitbucket;

import java.util.OptionalLong;

/**
 * A body read as bytes (a file, a diff), up to a cap.
 *
 * @param bytes the bytes read
 * @param truncated whether the body was longer than the cap and the rest was not read
 * @param contentLength the length Bitbucket announced, when it did
 * @param contentType the {@code Content-Type}, or "" when absent
 */
public record RawContent(byte[] bytes, boolean truncated, OptionalLong contentLength, String contentType) {

    /** Whether the body is JSON (a directory listing from {@code /src}, for example). */
    public boolean isJson() {
        return contentType.startsWith("application/json");
    }
}
