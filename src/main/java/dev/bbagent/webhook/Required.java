package dev.bbagent.webhook;

import dev.bbagent.event.Comment;

/**
 * What a Bitbucket payload must hold for its event key, beyond being JSON: a signed body that lacks it is
 * answered 400 rather than stored as an event about pull request 0 (whose jobs would act on the wrong
 * thread).
 */
final class Required {

    private Required() {}

    /** The pull request's or issue's id, a positive number. */
    static void id(String key, String path, long id) {
        if (id <= 0) {
            throw new MalformedPayloadException(key + " payload has no '" + path + "' (a positive number)");
        }
    }

    /** Comment events carry their comment. */
    static void comment(String key, String kind, Comment comment, String path) {
        if (kind.contains(".comment_") && comment == null) {
            throw new MalformedPayloadException(key + " payload has no '" + path + "' object");
        }
    }
}
