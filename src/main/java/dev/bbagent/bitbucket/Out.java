package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/** Writes tool results: compact JSON text, and lists with a summary of what was left out. */
final class Out {

    private Out() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Compact JSON text ({@link JsonNode#toString()} writes valid JSON). */
    static String json(JsonNode node) {
        return node.toString();
    }

    /**
     * {@code {"values":[...], "showing":25, "total":40, "more":"showing 25 of 40; pass limit (up to 100) to see
     * more"}}: the values mapped to their compact form, and how to get the rest.
     *
     * @param narrow how to find values beyond {@code maxLimit}, e.g. "filter with q"; null when there is no way
     */
    static String listing(Listing listing, Function<JsonNode, JsonNode> compact, int limit, int maxLimit,
            String noun, String narrow) {
        return json(page(listing, listing.values().stream().map(compact).toList(), limit, maxLimit, noun, narrow));
    }

    /**
     * As {@link #listing(Listing, Function, int, int, String, String)}, with the values already mapped (and maybe
     * filtered), as a node the caller can add to.
     */
    static ObjectNode page(Listing listing, List<JsonNode> shown, int limit, int maxLimit, String noun, String narrow) {
        ObjectNode out = object();
        ArrayNode values = out.putArray("values");
        shown.forEach(values::add);
        out.put("showing", shown.size());
        listing.size().ifPresent(total -> out.put("total", total));
        if (listing.truncated()) {
            String of = listing.size().isPresent() ? " of " + listing.size().getAsInt() : "";
            String how = limit < maxLimit ? "pass limit (up to " + maxLimit + ") to see more"
                    : narrow != null ? "this is the most one call returns; " + narrow
                    : "this is the most one call returns";
            out.put("more", "showing " + listing.values().size() + of + " " + noun + "; " + how);
        }
        return out;
    }
}
