package dev.bbagent.fake.bitbucket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials the fake accepts: access tokens ({@code Authorization: Bearer <token>}) and API tokens
 * ({@code Authorization: Basic base64(email:api_token)}), each acting as an account with a permission.
 */
final class Credentials {

    /** An accepted credential; {@code accessToken} is true for Bearer tokens, which get rate-limit headers. */
    record Credential(String key, Account account, Permission permission, boolean accessToken) {}

    private static final String REALM = "Basic realm=\"Bitbucket.org HTTP\"";

    private final Map<String, Credential> bearer = new ConcurrentHashMap<>();
    private final Map<String, Credential> basic = new ConcurrentHashMap<>();

    void addBearer(String token, Account account, Permission permission) {
        requireText(token, "token");
        bearer.put(token, new Credential("bearer:" + Ids.sha1(token), account, permission, true));
    }

    void addBasic(String email, String apiToken, Account account, Permission permission) {
        requireText(email, "email");
        requireText(apiToken, "apiToken");
        basic.put(email + ":" + apiToken, new Credential("basic:" + email, account, permission, false));
    }

    /** The credential an {@code Authorization} header names; a 401 with {@code WWW-Authenticate} otherwise. */
    Credential authenticate(String header) {
        if (header == null || header.isBlank()) {
            throw unauthorized("Authentication is required to access this resource.");
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space).toLowerCase(Locale.ROOT);
        String secret = space < 0 ? "" : value.substring(space + 1).trim();
        Credential found = switch (scheme) {
            case "bearer" -> bearer.get(secret);
            case "basic" -> basic.get(decode(secret));
            default -> null;
        };
        if (found == null) {
            throw unauthorized(scheme.equals("bearer") ? "Token is invalid, expired, or not supported for this endpoint."
                    : "Invalid credentials.");
        }
        return found;
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(401, message).withHeaders(Map.of("WWW-Authenticate", REALM));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
