package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An account as Bitbucket shows it ({@code GET /user}, comment authors, ...).
 *
 * @param uuid the account UUID in braces, e.g. {@code {6b47f1dc-...}}
 * @param accountId the Atlassian account id, e.g. {@code 557058:...}
 * @param displayName the display name
 * @param nickname the public handle
 * @param type {@code user}, or {@code app_user} for the bot behind an access token
 */
public record BitbucketAccount(String uuid, String accountId, String displayName, String nickname, String type) {

    /** Reads Bitbucket's account object; absent fields become "". */
    public static BitbucketAccount from(JsonNode n) {
        return new BitbucketAccount(n.path("uuid").asText(""), n.path("account_id").asText(""),
                n.path("display_name").asText(""), n.path("nickname").asText(""), n.path("type").asText(""));
    }

    /** Whether an account object names this account (by UUID, else by account id). */
    public boolean isSameAs(JsonNode other) {
        String otherUuid = other.path("uuid").asText("");
        if (!uuid.isEmpty() && !otherUuid.isEmpty()) {
            return uuid.equalsIgnoreCase(otherUuid);
        }
        String otherAccountId = other.path("account_id").asText("");
        return !accountId.isEmpty() && accountId.equals(otherAccountId);
    }
}
