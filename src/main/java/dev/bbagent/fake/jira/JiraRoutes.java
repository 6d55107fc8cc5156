package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST v3 routes the built-in tools use, in Jira Cloud's shapes: {@code myself}, issue get/create/edit,
 * comments, transitions, and {@code POST /rest/api/3/search/jql} (the old {@code /rest/api/3/search} answers 410,
 * as since its removal). Every request is recorded, may be failed by a queued fault, and must carry HTTP Basic
 * {@code email:api_token} of a known account (else 401).
 */
final class JiraRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/rest/api/3";
    private static final String ISSUE = API + "/issue/{key}";
    private static final String CALLER = "fake-jira-caller";

    /** A queued failure: its status and the Retry-After it sends (seconds, 0 for none). */
    record Fault(int status, int retryAfterSeconds) {}

    private final JiraOps ops;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();

    JiraRoutes(JiraOps ops) {
        this.ops = ops;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.exception(JiraApiError.class, (e, ctx) -> error(ctx, e));
        cfg.routes.before("/rest/*", this::gate);
        cfg.routes.get(API + "/myself", ctx -> json(ctx, 200, ops.shapes().myself(caller(ctx))));
        cfg.routes.get(ISSUE, this::getIssue);
        cfg.routes.put(ISSUE, this::editIssue);
        cfg.routes.post(API + "/issue", this::createIssue);
        cfg.routes.get(ISSUE + "/comment", this::listComments);
        cfg.routes.post(ISSUE + "/comment", this::addComment);
        cfg.routes.get(ISSUE + "/transitions", ctx -> json(ctx, 200, ops.locked(() ->
                ops.shapes().transitions(ops.model().issue(ctx.pathParam("key"))))));
        cfg.routes.post(ISSUE + "/transitions", this::transition);
        cfg.routes.post(API + "/search/jql", this::search);
        cfg.routes.get(API + "/search", ctx -> {
            throw JiraApiError.of(410, "The requested API has been removed. Please migrate to the "
                    + "/rest/api/3/search/jql API.");
        });
    }

    // ---- the gate: record, inject faults, authenticate

    private void gate(Context ctx) {
        synchronized (requests) {
            Map<String, String> headers = new LinkedHashMap<>(ctx.headerMap());
            headers.computeIfPresent("Authorization", (k, v) -> v.split(" ")[0] + " [redacted]");
            requests.add(new RecordedRequest(ctx.method().name(), ctx.path(), ctx.queryString(), headers,
                    new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8)));
        }
        Fault fault;
        synchronized (faults) {
            fault = faults.pollFirst();
        }
        if (fault != null) {
            Map<String, String> headers = fault.retryAfterSeconds() > 0
                    ? Map.of("Retry-After", Integer.toString(fault.retryAfterSeconds())) : Map.of();
            String message = fault.status() == 429 ? "Rate limit exceeded." : "Injected failure " + fault.status();
            throw new JiraApiError(fault.status(), List.of(message), Map.of(), headers);
        }
        JiraUser user = authenticate(ctx.header("Authorization"));
        if (user == null) {
            throw new JiraApiError(401, List.of("You are not authenticated. Authentication required to perform this "
                    + "operation."), Map.of(), Map.of("WWW-Authenticate", "Basic realm=\"protected-area\""));
        }
        ctx.attribute(CALLER, user);
    }

    private JiraUser authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String email = decoded.substring(0, colon);
        String token = decoded.substring(colon + 1);
        return ops.locked(() -> ops.model().tokens.getOrDefault(email, Map.of()).get(token));
    }

    private static JiraUser caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    // ---- issues

    private void getIssue(Context ctx) {
        String fields = ctx.queryParam("fields");
        List<String> wanted = fields == null || fields.isBlank() ? null : Arrays.asList(fields.split(","));
        json(ctx, 200, ops.locked(() -> ops.shapes().issue(ops.model().issue(ctx.pathParam("key")), wanted, "3")));
    }

    private void createIssue(Context ctx) {
        JsonNode f = body(ctx).path("fields");
        String project = f.path("project").path("key").asText("");
        String summary = f.path("summary").asText("");
        String type = f.path("issuetype").path("name").asText("");
        Map<String, String> problems = new LinkedHashMap<>();
        if (summary.isBlank()) {
            problems.put("summary", "You must specify a summary of the issue.");
        }
        if (!JiraModel.TYPES.contains(type)) {
            problems.put("issuetype", "Specify an issue type");
        }
        String priority = f.path("priority").path("name").asText(null);
        if (priority != null && !JiraModel.PRIORITIES.contains(priority)) {
            problems.put("priority", "Specify the Priority (name) in the string format");
        }
        if (!ops.locked(() -> ops.model().projects.containsKey(project))) {
            problems.put("project", "Specify a valid project ID or key");
        }
        if (!problems.isEmpty()) {
            throw new JiraApiError(400, List.of(), problems, Map.of());
        }
        List<String> labels = new ArrayList<>();
        f.path("labels").forEach(l -> labels.add(l.asText()));
        JiraModel.Issue i = ops.create(caller(ctx), project, type, summary, adf(f.get("description"), "description"),
                labels, priority);
        json(ctx, 201, JSON.createObjectNode().put("id", Long.toString(i.id)).put("key", i.key)
                .put("self", ops.shapes().issue(i, List.of(), "3").path("self").asText()));
    }

    private void editIssue(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode f = body.path("fields");
        Set<String> known = Set.of("summary", "description", "priority", "assignee", "labels", "duedate");
        List<String> unknown = new ArrayList<>();
        f.fieldNames().forEachRemaining(n -> {
            if (!known.contains(n)) {
                unknown.add(n);
            }
        });
        if (!unknown.isEmpty()) {
            throw JiraApiError.field(unknown.getFirst(), "Field '" + unknown.getFirst() + "' cannot be set. It is not "
                    + "on the appropriate screen, or unknown.");
        }
        String priority = f.has("priority") ? f.path("priority").path("name").asText("") : null;
        if (priority != null && !JiraModel.PRIORITIES.contains(priority)) {
            throw JiraApiError.field("priority", "Specify the Priority (name) in the string format");
        }
        JiraUser assignee = null;
        if (f.has("assignee")) {
            String id = f.path("assignee").path("accountId").asText("");
            assignee = ops.locked(() -> ops.model().users.get(id));
            if (assignee == null) {
                throw JiraApiError.field("assignee", "User '" + id + "' cannot be assigned issues.");
            }
        }
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        body.path("update").path("labels").forEach(op -> {
            if (op.has("add")) {
                add.add(op.get("add").asText());
            }
            if (op.has("remove")) {
                remove.add(op.get("remove").asText());
            }
        });
        if (f.has("labels")) {
            List<String> replace = new ArrayList<>();
            f.path("labels").forEach(l -> replace.add(l.asText()));
            JiraModel.Issue current = ops.locked(() -> ops.model().issue(ctx.pathParam("key")));
            remove.addAll(current.labels);
            add.addAll(replace);
        }
        String summary = f.has("summary") ? f.path("summary").asText("") : null;
        if (summary != null && summary.isBlank()) {
            throw JiraApiError.field("summary", "You must specify a summary of the issue.");
        }
        ops.update(caller(ctx), ctx.pathParam("key"), summary, adf(f.get("description"), "description"), priority,
                assignee, add, remove);
        ctx.status(204);
    }

    private void listComments(Context ctx) {
        json(ctx, 200, ops.locked(() -> {
            JiraModel.Issue i = ops.model().issue(ctx.pathParam("key"));
            ObjectNode o = JSON.createObjectNode().put("startAt", 0).put("maxResults", 5000)
                    .put("total", i.comments.size());
            ArrayNode list = o.putArray("comments");
            i.comments.forEach(c -> list.add(ops.shapes().comment(i, c, "3")));
            return o;
        }));
    }

    private void addComment(Context ctx) {
        JsonNode body = adf(body(ctx).get("body"), "comment");
        if (body == null) {
            throw JiraApiError.field("comment", "Comment body can not be empty!");
        }
        String key = ctx.pathParam("key");
        JiraModel.Comment c = ops.comment(caller(ctx), key, body);
        json(ctx, 201, ops.locked(() -> ops.shapes().comment(ops.model().issue(key), c, "3")));
    }

    private void transition(Context ctx) {
        String id = body(ctx).path("transition").path("id").asText("");
        String key = ctx.pathParam("key");
        JiraModel.Status to = ops.locked(() -> JiraModel.transitions(ops.model().issue(key)).stream()
                .filter(s -> s.transitionId().equals(id)).findFirst().orElse(null));
        if (to == null) {
            throw JiraApiError.of(400, "Transition id '" + id + "' is not valid for this issue.");
        }
        ops.transition(caller(ctx), key, to);
        ctx.status(204);
    }

    private void search(Context ctx) {
        JsonNode body = body(ctx);
        int max = Math.max(1, Math.min(5000, body.path("maxResults").asInt(50)));
        int offset = offset(body.path("nextPageToken").asText(""));
        List<String> fields = new ArrayList<>();
        body.path("fields").forEach(f -> fields.add(f.asText()));
        ObjectNode out = ops.locked(() -> {
            List<JiraModel.Issue> found = JiraJql.run(body.path("jql").asText(""),
                    List.copyOf(ops.model().issues.values()), caller(ctx));
            ObjectNode o = JSON.createObjectNode();
            ArrayNode issues = o.putArray("issues");
            found.stream().skip(offset).limit(max).forEach(i -> {
                // without "fields", /search/jql answers ids only
                ObjectNode shaped = ops.shapes().issue(i, fields.isEmpty() ? List.of() : fields, "3");
                issues.add(shaped);
            });
            boolean last = offset + max >= found.size();
            if (!last) {
                o.put("nextPageToken", Base64.getEncoder().encodeToString(("offset:" + (offset + max))
                        .getBytes(StandardCharsets.UTF_8)));
            }
            o.put("isLast", last);
            return o;
        });
        json(ctx, 200, out);
    }

    private static int offset(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(s.substring("offset:".length()));
        } catch (RuntimeException e) {
            throw JiraApiError.of(400, "The provided next page token is invalid or expired.");
        }
    }

    // ---- helpers

    /** An ADF document field, or null when absent; a string (REST v2 style) is refused as v3 does. */
    private static JsonNode adf(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || !"doc".equals(value.path("type").asText()) || !value.path("content").isArray()) {
            throw JiraApiError.field(field, "Operation value must be an Atlassian Document (see the Atlassian "
                    + "Document Format)");
        }
        return value;
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw JiraApiError.of(400, "Invalid request payload. Refer to the REST API documentation and try again.");
            }
            return n;
        } catch (IOException e) {
            throw JiraApiError.of(400, "Invalid request payload. Refer to the REST API documentation and try again.");
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json;charset=UTF-8").result(body.toString());
    }

    private static void error(Context ctx, JiraApiError e) {
        e.headers().forEach(ctx::header);
        json(ctx, e.status(), e.body());
    }

    // ---- for FakeJira

    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    void failNext(int count, int status, int retryAfterSeconds) {
        synchronized (faults) {
            for (int n = 0; n < count; n++) {
                faults.addLast(new Fault(status, retryAfterSeconds));
            }
        }
    }
}
