package dev.bbagent.store;

/**
 * A write on its way to a store: a request that will submit one soon (a webhook delivery whose signature checked
 * out, being parsed). While any is on its way, the writer keeps its open batch waiting for it instead of committing,
 * so that one commit serves more rows; with none on the way it commits at once. Close it when the write is
 * submitted or abandoned; closing twice is harmless.
 */
public interface Arrival extends AutoCloseable {

    @Override
    void close();

    /** An arrival whose first close runs {@code onClose}; later closes do nothing. */
    static Arrival once(Runnable onClose) {
        return new Arrival() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    onClose.run();
                }
            }
        };
    }
}
