package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Collects the values of Bitbucket's paginated answers ({@code {"size"?, "values":[...], "next"?}}) by following
 * {@code next} links as given: Bitbucket asks clients never to build page URLs themselves.
 */
final class Pagination {

    private Pagination() {}

    /**
     * @param first the first page
     * @param fetch reads the page at a {@code next} URL
     */
    static Listing collect(JsonNode first, PageLimit limit, Function<String, JsonNode> fetch) {
        JsonNode sizeNode = first.path("size");
        OptionalInt size = sizeNode.canConvertToInt() ? OptionalInt.of(sizeNode.asInt()) : OptionalInt.empty();
        List<JsonNode> values = new ArrayList<>();
        JsonNode page = first;
        int pages = 1;
        while (true) {
            for (JsonNode value : page.path("values")) {
                if (values.size() == limit.maxItems()) {
                    return new Listing(values, size, true);
                }
                values.add(value);
            }
            String next = page.path("next").textValue();
            if (next == null || next.isBlank()) {
                return new Listing(values, size, false);
            }
            if (values.size() >= limit.maxItems() || pages >= limit.maxPages()) {
                return new Listing(values, size, true);
            }
            page = fetch.apply(next);
            pages++;
        }
    }
}
