package dev.bbagent.bitbucket;

import dev.bbagent.tools.ToolError;
/**
 * The account the tools act as, asked once ({@code GET /user}) and then remembered. A failed lookup is not
 * remembered, so the next call tries again.
 */
final class BotIdentity {

    private final BitbucketClient client;
    private volatile BitbucketAccount account;

    BotIdentity(BitbucketClient client) {
        this.client = client;
    }

    BitbucketAccount get() {
        BitbucketAccount known = account;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (account == null) {
                BitbucketAccount me = client.currentUser();
                if (me.uuid().isEmpty() && me.accountId().isEmpty()) {
                    throw new ToolError("Bitbucket did not say which account the token belongs to (GET /user had "
                            + "no uuid or account_id), so the bot's own comments cannot be recognized");
                }
                account = me;
            }
            return account;
        }
    }
}
