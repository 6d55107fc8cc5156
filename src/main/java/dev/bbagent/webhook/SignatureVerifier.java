package dev.bbagent.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature: sha256=<hex>}, the HMAC-SHA256 of the raw body keyed with the webhook
 * secret, against every configured secret (several during a rotation), in constant time. Fails closed:
 * with a secret configured, a missing or unparsable header is rejected.
 */
public final class SignatureVerifier {

    public enum Result {
        VALID,
        /** No secret is configured and unsigned deliveries were explicitly allowed. */
        UNSIGNED_ALLOWED,
        MISSING,
        UNSUPPORTED_ALGORITHM,
        MISMATCH
    }

    private final List<Mac> prototypes = new ArrayList<>();
    private final boolean allowUnsigned;

    public SignatureVerifier(List<String> secrets, boolean allowUnsigned) {
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("a webhook secret must not be empty");
            }
            prototypes.add(mac(secret));
        }
        this.allowUnsigned = allowUnsigned;
    }

    public boolean hasSecrets() {
        return !prototypes.isEmpty();
    }

    public Result verify(String header, byte[] body) {
        if (prototypes.isEmpty()) {
            return allowUnsigned ? Result.UNSIGNED_ALLOWED : Result.MISSING;
        }
        if (header == null || header.isBlank()) {
            return Result.MISSING;
        }
        String value = header.trim();
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).toLowerCase(Locale.ROOT).equals("sha256")) {
            return Result.UNSUPPORTED_ALGORITHM;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(eq + 1).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Result.MISMATCH;
        }
        boolean match = false;
        for (Mac proto : prototypes) {
            byte[] expected = copy(proto).doFinal(body);
            // No early exit: the time taken does not depend on which secret matched.
            match |= MessageDigest.isEqual(expected, given);
        }
        return match ? Result.VALID : Result.MISMATCH;
    }

    /** The header value Bitbucket would send for this body and secret (for tests, demo and the fake). */
    public static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac(secret).doFinal(body));
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static Mac copy(Mac proto) {
        try {
            return (Mac) proto.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned in this JDK", e);
        }
    }
}
