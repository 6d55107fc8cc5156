package dev.bbagent.webhook;

import dev.bbagent.config.Durations;
import dev.bbagent.http.HttpError;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Reads a webhook body with the checks every webhook route shares: content type, size, time and memory.
 * The body is read before its signature can be checked, so a sender is trusted with nothing: memory is
 * taken from the {@link BodyBudget} as bytes arrive (a {@code Content-Length} is only an upper bound), and
 * the whole body must arrive within the budget's {@link BodyBudget#readLimit}, and a sender that stops
 * sending is cut off by the connection's idle timeout ({@link dev.bbagent.http.Listener}).
 */
final class RequestBody {

    /** Bitbucket Cloud sends at most 256 KB; 1 MiB leaves room for Data Center and Jira. */
    static final int MAX_BYTES = 1 << 20;
    /**
     * The first array, taken before any byte arrived: a body up to this size (Bitbucket's are mostly a few
     * KB) is read into one array of its exact size; larger ones grow from here as their bytes arrive. So
     * a connection that announces 1 MiB and sends nothing holds 16 KiB.
     */
    static final int FIRST_READ = 16 * 1024;

    /** A body read, holding its bytes' share of the budget until closed. */
    static final class Held implements AutoCloseable {
        private final BodyBudget budget;
        private int taken;
        private byte[] bytes;

        private Held(BodyBudget budget) {
            this.budget = budget;
        }

        byte[] bytes() {
            return bytes;
        }

        private void take(int n) {
            if (!budget.take(n)) {
                throw new HttpError(503, "busy", "the request bodies bbagent holds have reached its limit of "
                        + (budget.limit() >> 20) + " MiB (a burst of large deliveries, clients sending slowly, or a "
                        + "stalled store); Bitbucket retries 5xx answers");
            }
            taken += n;
        }

        @Override
        public void close() {
            budget.give(taken);
            taken = 0;
        }
    }

    private RequestBody() {}

    static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new HttpError(415, "unsupported_media_type",
                    "Content-Type must be application/json (got " + (type == null ? "none" : "'" + type + "'")
                            + "); in the webhook settings choose JSON");
        }
    }

    /** Read the body; the caller closes what it gets once the request is answered. */
    static Held read(Context ctx, BodyBudget budget) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw tooLarge(declared);
        }
        Held held = new Held(budget);
        try {
            held.bytes = read(ctx, declared, held);
            return held;
        } catch (RuntimeException | Error e) {
            // An OutOfMemoryError on an array already paid for must not shrink the budget for good.
            held.close();
            throw e;
        }
    }

    private static byte[] read(Context ctx, long declared, Held held) {
        // At most this many bytes are read: the announced length, or one past the limit to see it is over.
        int most = declared >= 0 ? (int) declared : MAX_BYTES + 1;
        int first = Math.min(most, FIRST_READ);
        held.take(first);
        // The usual case (Bitbucket sends a Content-Length of a few KB): one array of the right size.
        byte[] buf = new byte[first];
        int n = 0;
        Duration limit = held.budget.readLimit();
        long start = System.nanoTime();
        try {
            InputStream in = ctx.req().getInputStream();
            while (n < most) {
                if (n == buf.length) {
                    int next = (int) Math.min(most, 2L * buf.length);
                    held.take(next - buf.length);
                    buf = Arrays.copyOf(buf, next);
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (n < most && System.nanoTime() - start > limit.toNanos()) {
                    throw new HttpError(408, "aborted", "the body was still arriving after " + Durations.format(limit)
                            + " (" + n + " bytes read); Bitbucket gives up after 10 s");
                }
            }
        } catch (IOException e) {
            if (e instanceof java.io.InterruptedIOException || e.getCause() instanceof TimeoutException) {
                throw new HttpError(408, "aborted", "the body stopped arriving: no bytes for the connection's idle "
                        + "timeout (" + n + " bytes read)");
            }
            // The sender closed the connection early, or sent a broken chunk ("Early EOF").
            throw new HttpError(400, "aborted", "the body could not be read (" + n + " bytes read): " + e.getMessage());
        }
        if (declared >= 0 && n < declared) {
            throw new HttpError(400, "aborted", "the body ended after " + n + " of the " + declared
                    + " bytes its Content-Length announced");
        }
        if (n > MAX_BYTES) {
            throw tooLarge(n);
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static HttpError tooLarge(long size) {
        return new HttpError(413, "too_large", (size > MAX_BYTES + 1 ? "body of " + size + " bytes" : "the body")
                + " is over the limit of " + MAX_BYTES
                + " bytes; Bitbucket itself sends at most 256 KB, so this is not a Bitbucket delivery");
    }
}
