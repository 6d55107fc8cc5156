package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /user}, {@code GET /user/workspaces}, {@code GET /users/{user}}, {@code GET /workspaces/{ws}}
 * and {@code GET /workspaces/{ws}/members}.
 */
final class AccountRoutes {

    private final Store store;
    private final Links links;

    AccountRoutes(Store store, Links links) {
        this.store = store;
        this.links = links;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get("/2.0/user", this::me);
        cfg.routes.get("/2.0/user/workspaces", this::myWorkspaces);
        cfg.routes.get("/2.0/users/{selected_user}", this::user);
        cfg.routes.get("/2.0/workspaces/{workspace}", this::workspace);
        cfg.routes.get("/2.0/workspaces/{workspace}/members", this::members);
    }

    private void me(Context ctx) {
        Account me = Caller.of(ctx);
        Respond.json(ctx, 200, AccountJson.me(me, links, store.createdOn(me)));
    }

    private void myWorkspaces(Context ctx) {
        String me = Caller.of(ctx).uuid();
        List<ObjectNode> values = store.locked(() -> {
            List<ObjectNode> out = new ArrayList<>();
            for (WorkspaceData ws : store.workspaces()) {
                Boolean admin = ws.members.get(me);
                if (admin != null) {
                    ObjectNode access = Json.obj();
                    access.put("type", "workspace_access");
                    access.put("administrator", admin);
                    access.set("workspace", RepositoryJson.workspaceBase(ws, links));
                    out.add(access);
                }
            }
            return out;
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void user(Context ctx) {
        Account account = store.account(ctx.pathParam("selected_user"));
        if (account == null) {
            throw ApiError.notFound("User " + ctx.pathParam("selected_user") + " not found");
        }
        Respond.json(ctx, 200, AccountJson.of(account, links));
    }

    private void workspace(Context ctx) {
        ObjectNode body = store.locked(() -> {
            WorkspaceData ws = store.workspace(ctx.pathParam("workspace"));
            ObjectNode n = RepositoryJson.workspace(ws, links);
            ObjectNode l = (ObjectNode) n.get("links");
            String self = links.workspace(ws);
            l.set("members", Json.href(self + "/members"));
            l.set("projects", Json.href(self + "/projects"));
            l.set("repositories", Json.href(links.api("/repositories/" + ws.slug)));
            l.set("snippets", Json.href(links.api("/snippets/" + ws.slug)));
            n.put("is_private", true);
            n.put("created_on", Timestamps.format(ws.createdOn));
            return n;
        });
        Respond.json(ctx, 200, body);
    }

    private void members(Context ctx) {
        List<ObjectNode> values = store.locked(() -> {
            WorkspaceData ws = store.workspace(ctx.pathParam("workspace"));
            List<ObjectNode> out = new ArrayList<>();
            for (String uuid : ws.members.keySet()) {
                Account member = store.account(uuid);
                ObjectNode m = Json.obj();
                m.put("type", "workspace_membership");
                m.set("user", AccountJson.of(member, links));
                m.set("workspace", RepositoryJson.workspace(ws, links));
                m.set("links", Json.links("self", links.workspace(ws) + "/members/" + Links.encodeUuid(uuid)));
                out.add(m);
            }
            return out;
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }
}
