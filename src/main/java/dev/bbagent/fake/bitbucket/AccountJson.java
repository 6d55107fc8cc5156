package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Accounts as Bitbucket renders them in payloads and API answers. */
final class AccountJson {

    private AccountJson() {}

    /** The account object embedded everywhere ({@code actor}, {@code author}, {@code user}). */
    static ObjectNode of(Account account, Links links) {
        ObjectNode n = Json.obj();
        n.put("display_name", account.displayName());
        n.set("links", Json.links("self", links.user(account), "avatar", links.avatar(account),
                "html", links.userWeb(account)));
        n.put("type", account.type());
        n.put("uuid", account.uuid());
        n.put("account_id", account.accountId());
        n.put("nickname", account.nickname());
        return n;
    }

    static ObjectNode ofNullable(Account account, Links links) {
        return account == null ? null : of(account, links);
    }

    /** {@code GET /user}: the account plus its profile fields. */
    static ObjectNode me(Account account, Links links, Instant createdOn) {
        ObjectNode n = of(account, links);
        ObjectNode l = (ObjectNode) n.get("links");
        l.set("repositories", Json.href(links.api("/repositories/" + Links.encodeUuid(account.uuid()))));
        l.set("snippets", Json.href(links.api("/snippets/" + Links.encodeUuid(account.uuid()))));
        n.put("created_on", Timestamps.format(createdOn));
        n.put("is_staff", false);
        n.put("account_status", "active");
        n.putNull("location");
        n.putNull("has_2fa_enabled");
        return n;
    }
}
