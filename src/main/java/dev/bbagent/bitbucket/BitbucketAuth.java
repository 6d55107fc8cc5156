package dev.bbagent.bitbucket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How bbagent proves who it is to Bitbucket Cloud. App passwords are gone (removed 2026-07-28), which leaves
 * two kinds of credential a server process can hold. Neither {@code toString} shows the secret.
 */
public sealed interface BitbucketAuth {

    /** The value of the {@code Authorization} header. */
    String authorization();

    /**
     * A stable, non-secret name for the credential: Bitbucket budgets requests per credential, and so does the
     * client's rate limiter, which is named after it.
     */
    String id();

    /** What kind of credential this is, for startup logs. */
    String describe();

    /** A repository, project or workspace access token, sent as {@code Authorization: Bearer <token>}. */
    static BitbucketAuth accessToken(String token) {
        return new AccessToken(token);
    }

    /** An Atlassian API token with the account's email, sent as HTTP Basic {@code email:token}. */
    static BitbucketAuth apiToken(String email, String token) {
        return new ApiToken(email, token);
    }

    /**
     * A repository, project or workspace access token. It acts as its own bot account, and only its requests
     * get Bitbucket's {@code X-RateLimit-*} headers.
     */
    record AccessToken(String token) implements BitbucketAuth {

        public AccessToken {
            requireText(token, "access token");
        }

        @Override
        public String authorization() {
            return "Bearer " + token;
        }

        @Override
        public String id() {
            return "access-token-" + fingerprint(token);
        }

        @Override
        public String describe() {
            return "access token " + fingerprint(token) + " (Bearer)";
        }

        @Override
        public String toString() {
            return "AccessToken[" + fingerprint(token) + "]";
        }
    }

    /** An Atlassian account's API token, used with the account's email address (HTTP Basic). */
    record ApiToken(String email, String token) implements BitbucketAuth {

        public ApiToken {
            requireText(email, "email");
            requireText(token, "API token");
            if (!email.contains("@")) {
                throw new IllegalArgumentException("an API token is used with the Atlassian account's email address, "
                        + "not a user name: '" + email + "'");
            }
        }

        @Override
        public String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String id() {
            return "api-token-" + email;
        }

        @Override
        public String describe() {
            return "API token of " + email + " (Basic)";
        }

        @Override
        public String toString() {
            return "ApiToken[" + email + "]";
        }
    }

    /** The first 8 hex digits of the secret's SHA-256: tells tokens apart in logs, reveals nothing usable. */
    private static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is blank");
        }
    }
}
