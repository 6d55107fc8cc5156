package dev.bbagent.bitbucket;

/**
 * How much of a paginated list to read: at most {@code maxItems} values over at most {@code maxPages} pages.
 *
 * @param maxItems the most values to return
 * @param maxPages the most pages to request (a guard against endless {@code next} chains)
 */
public record PageLimit(int maxItems, int maxPages) {

    /** Bitbucket's page sizes differ by endpoint (pull requests allow 50); 50 is accepted everywhere. */
    static final int MAX_PAGELEN = 50;
    /** Bitbucket's default page size, which answers after a redirect have (the redirect drops {@code pagelen}). */
    private static final int DEFAULT_PAGELEN = 10;

    public PageLimit {
        if (maxItems < 1 || maxPages < 1) {
            throw new IllegalArgumentException("a page limit needs at least one item and one page, not " + maxItems
                    + " items over " + maxPages + " pages");
        }
    }

    /** Up to {@code maxItems} values, over as many pages as that takes even at Bitbucket's default page size. */
    public static PageLimit items(int maxItems) {
        return new PageLimit(maxItems, (maxItems + DEFAULT_PAGELEN - 1) / DEFAULT_PAGELEN + 1);
    }

    /** The {@code pagelen} to ask for. */
    int pagelen() {
        return Math.min(maxItems, MAX_PAGELEN);
    }
}
