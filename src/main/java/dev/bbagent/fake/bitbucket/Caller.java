package dev.bbagent.fake.bitbucket;

import io.javalin.http.Context;

/** Who is calling: the authenticated account, stored on the request by {@link Gate}. */
final class Caller {

    private static final String KEY = "fake-bitbucket.caller";

    private Caller() {}

    static void set(Context ctx, Account account) {
        ctx.attribute(KEY, account);
    }

    static Account of(Context ctx) {
        Account account = ctx.attribute(KEY);
        if (account == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.method() + " " + ctx.path());
        }
        return account;
    }
}
