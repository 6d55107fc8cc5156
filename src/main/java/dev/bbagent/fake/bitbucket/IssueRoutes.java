package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.Map;

/**
 * Every {@code /repositories/{ws}/{slug}/issues...} path answers 410 Gone: Bitbucket Cloud removed Issues and
 * their API on 2026-08-20 (changelog CHANGE-3401).
 */
final class IssueRoutes {

    static final String DETAIL = "This API is no longer supported.\n\nBitbucket Cloud Issues and their API "
            + "endpoints were removed. For information about the removal, please refer to the deprecation notice at: "
            + "https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-3401";

    private IssueRoutes() {}

    static void install(JavalinConfig cfg) {
        Handler gone = ctx -> {
            throw new ApiError(410, "Resource removed", TextNode.valueOf(DETAIL), null, Map.of());
        };
        for (String path : new String[] {RepositoryRoutes.REPO + "/issues", RepositoryRoutes.REPO + "/issues/<rest>"}) {
            cfg.routes.get(path, gone);
            cfg.routes.post(path, gone);
            cfg.routes.put(path, gone);
            cfg.routes.delete(path, gone);
        }
    }
}
