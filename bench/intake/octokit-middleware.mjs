// The peer the issue names: @octokit/webhooks' own verify-only middleware, createNodeMiddleware, mounted
// on a plain node:http server at /webhooks/bitbucket. Per request it checks the path, the method, the
// Content-Type and GitHub's headers (X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256), arms its 9 s
// "still processing" timer, reads the body, and calls Webhooks#verifyAndReceive (HMAC-SHA256 of the body
// compared in constant time, JSON.parse, dispatch to the handlers, of which there are none). It answers
// 200 "ok" and stores nothing. The load script sends it the same request as bbagent with GitHub's header
// names (post.lua's "github" style). octokit-peer.mjs is the same verification without the middleware.
//
// Usage: WEBHOOK_SECRET=... node octokit-middleware.mjs PORT
import http from "node:http";
import { Webhooks, createNodeMiddleware } from "@octokit/webhooks";

const port = Number(process.argv[2] ?? 3000);
const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error("set WEBHOOK_SECRET");
  process.exit(2);
}
const middleware = createNodeMiddleware(new Webhooks({ secret }), { path: "/webhooks/bitbucket" });

const server = http.createServer(async (req, res) => {
  // The middleware answers what it handles and leaves other paths to the caller.
  if (!(await middleware(req, res))) {
    res.writeHead(404).end();
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`octokit middleware peer listening on 127.0.0.1:${port}`));
