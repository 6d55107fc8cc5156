package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Bitbucket's paginated answer {@code {"pagelen","size","page","values","next"?,"previous"?}}, after
 * applying the request's {@code q} (see {@link Bbql}) and {@code sort}. {@code pagelen} defaults to 10 and is
 * clamped to 1..100; {@code next} is an absolute URL keeping the other query parameters and is absent on the
 * last page.
 */
final class Page {

    static final int DEFAULT_PAGELEN = 10;
    static final int MAX_PAGELEN = 100;

    private Page() {}

    static ObjectNode of(Context ctx, Links links, List<ObjectNode> all) {
        List<ObjectNode> values = sorted(Bbql.filter(all, ctx.queryParam("q")), ctx.queryParam("sort"));
        int pagelen = Math.clamp(intParam(ctx, "pagelen", DEFAULT_PAGELEN, "Invalid pagelen"), 1, MAX_PAGELEN);
        int page = intParam(ctx, "page", 1, "Invalid page");
        int pages = Math.max(1, (values.size() + pagelen - 1) / pagelen);
        if (page < 1) {
            throw ApiError.badRequest("Invalid page");
        }
        if (page > pages) {
            throw ApiError.notFound("Invalid page");
        }
        int from = (page - 1) * pagelen;
        ArrayNode slice = Json.arr();
        values.subList(from, Math.min(values.size(), from + pagelen)).forEach(slice::add);

        ObjectNode body = Json.obj();
        body.put("pagelen", pagelen);
        body.put("size", values.size());
        body.put("page", page);
        body.set("values", slice);
        if (page < pages) {
            body.put("next", pageUrl(ctx, links, page + 1));
        }
        if (page > 1) {
            body.put("previous", pageUrl(ctx, links, page - 1));
        }
        return body;
    }

    private static int intParam(Context ctx, String name, int fallback, String complaint) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(complaint);
        }
    }

    private static String pageUrl(Context ctx, Links links, int page) {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        params.put("page", List.of(Integer.toString(page)));
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, vals) -> vals.forEach(v -> query.add(encode(name) + "=" + encode(v))));
        return links.origin() + ctx.path() + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code sort=field.path} ascending, {@code sort=-field.path} descending; numbers compare as numbers. */
    private static List<ObjectNode> sorted(List<ObjectNode> values, String sort) {
        if (sort == null || sort.isBlank()) {
            return values;
        }
        boolean descending = sort.startsWith("-");
        String[] path = (descending ? sort.substring(1) : sort).trim().split("\\.");
        Comparator<ObjectNode> order = Comparator.comparing((ObjectNode v) -> Json.at(v, path), Page::compare);
        List<ObjectNode> out = new ArrayList<>(values);
        out.sort(descending ? order.reversed() : order);
        return out;
    }

    private static int compare(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.asDouble(), b.asDouble());
        }
        return a.asText().compareTo(b.asText());
    }
}
