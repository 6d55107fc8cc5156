package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalInt;

/**
 * Values collected from one or more pages of a paginated answer.
 *
 * @param values the values, in Bitbucket's order
 * @param size how many values exist in total, when Bitbucket said ({@code size} is optional)
 * @param truncated whether more values exist than were read
 */
public record Listing(List<JsonNode> values, OptionalInt size, boolean truncated) {

    public Listing {
        values = List.copyOf(values);
    }
}
