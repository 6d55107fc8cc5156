package dev.bbagent.datacenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.config.RulesFile;
import dev.bbagent.mcp.McpToolSource;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.testing.Fixtures;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Bitbucket Data Center through a third-party stdio MCP server, as docs/datacenter.md describes:
 * {@code @nexus2520/bitbucket-mcp-server} pointed at a small Data Center REST stand-in by BITBUCKET_BASE_URL.
 */
class NexusDataCenterTest {

    @Test
    void theNexusServerReachesDataCenterThroughBitbucketBaseUrl() throws Exception {
        boolean npx = new ProcessBuilder("sh", "-c", "command -v npx").start().waitFor() == 0;
        if (!npx) {
            System.err.println("NexusDataCenterTest skipping: npx not found");
        }
        assumeTrue(npx, "npx not found");
        var pr = new ObjectMapper().readTree(Fixtures.named("datacenter/pr-opened__bbs-plugin.json").bytes()).get("pullRequest");
        List<String> seen = new CopyOnWriteArrayList<>();
        Javalin dc = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.before(ctx -> seen.add(ctx.method() + " " + ctx.path() + " auth=" + ctx.header("Authorization")));
            cfg.routes.get("/rest/api/1.0/projects/AMUNIZ/repos/test-repos/pull-requests/1", ctx -> ctx.json(pr));
            cfg.routes.get("/rest/api/latest/projects/AMUNIZ/repos/test-repos/pull-requests/1", ctx -> ctx.json(pr));
            // Everything else the server asks for along the way (activities, changes...): an empty page.
            cfg.routes.get("/rest/*", ctx -> ctx.json(Map.of("values", List.of(), "isLastPage", true, "size", 0,
                    "start", 0, "limit", 25)));
        }).start("127.0.0.1", 0);
        try {
            var def = new RulesFile.McpServer(null, "npx", List.of("-y", "@nexus2520/bitbucket-mcp-server"),
                    Map.of("BITBUCKET_USERNAME", "bbagent", "BITBUCKET_TOKEN", "dc-token-123456",
                            "BITBUCKET_BASE_URL", "http://127.0.0.1:" + dc.port()),
                    null, null, null, null, null, null, null);
            try (McpToolSource source = McpToolSource.of("nexus", def, McpToolSource.Options.defaults()
                    .withConnectTimeout(Duration.ofSeconds(120)).withCallTimeout(Duration.ofSeconds(30)))) {
                List<ToolSpec> tools = source.tools();
                ToolResult r = source.call("get_pull_request", Map.of("workspace", "AMUNIZ", "repository", "test-repos",
                        "pull_request_id", 1), Duration.ofSeconds(30));

                assertThat(tools).extracting(ToolSpec::name).contains("get_pull_request");
                assertThat(r.text()).as("requests seen: %s", seen).contains("Feature/diffstat");
                assertThat(seen).anySatisfy(s -> assertThat(s).contains("/projects/AMUNIZ/repos/test-repos/pull-requests/1")
                        .contains("auth=Bearer dc-token-123456"));
            }
        } finally {
            dc.stop();
        }
    }
}
