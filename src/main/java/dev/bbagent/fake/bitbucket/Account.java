package dev.bbagent.fake.bitbucket;

import java.util.Objects;

/**
 * A Bitbucket account as the fake knows it: a person ({@code type "user"}) or a bot such as an access
 * token's identity ({@code type "app_user"}). The email is never rendered in API responses (Bitbucket hides
 * it); it is the user name of Basic {@code email:api_token} credentials.
 *
 * @param uuid the account UUID wrapped in braces, e.g. {@code {6b47f1dc-...}}
 * @param accountId the Atlassian account id, e.g. {@code 557058:ca1cd232-...}
 * @param displayName the display name
 * @param nickname the nickname (Bitbucket's public handle)
 * @param type {@code user} or {@code app_user}
 * @param email the account's email address
 */
public record Account(String uuid, String accountId, String displayName, String nickname, String type, String email) {

    /** The {@code type} of a person. */
    public static final String USER = "user";
    /** The {@code type} of a bot, e.g. the identity of a repository access token. */
    public static final String APP_USER = "app_user";

    /** Checks the fields: a known type and a UUID in braces. */
    public Account {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(nickname, "nickname");
        if (!USER.equals(type) && !APP_USER.equals(type)) {
            throw new IllegalArgumentException("account type must be user or app_user, not " + type);
        }
        if (!uuid.startsWith("{") || !uuid.endsWith("}")) {
            throw new IllegalArgumentException("account uuid must be wrapped in braces: " + uuid);
        }
    }

    /** True for a bot account ({@code app_user}). */
    public boolean isApp() {
        return APP_USER.equals(type);
    }
}
