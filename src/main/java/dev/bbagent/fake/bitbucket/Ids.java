package dev.bbagent.fake.bitbucket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** UUIDs in Bitbucket's braced form and git-like SHA-1 hashes. */
final class Ids {

    /** Bitbucket's webhook payloads and most API objects carry 12-character commit hashes. */
    static final int SHORT_HASH = 12;

    private Ids() {}

    static String newUuid() {
        return "{" + UUID.randomUUID() + "}";
    }

    /** {@code {abc}} becomes {@code abc}: the form of the {@code X-Hook-UUID} header. */
    static String unbraced(String uuid) {
        return uuid.startsWith("{") && uuid.endsWith("}") ? uuid.substring(1, uuid.length() - 1) : uuid;
    }

    static String sha1(String text) {
        return sha1(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JDK", e);
        }
    }

    /** The hash git gives a file's content (a blob), as shown on the {@code index} line of a diff. */
    static String blob(String content) {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = ("blob " + body.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + body.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return sha1(all);
    }

    static String shortHash(String hash) {
        return hash.length() <= SHORT_HASH ? hash : hash.substring(0, SHORT_HASH);
    }
}
