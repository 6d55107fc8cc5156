// The Node peer for the intake benchmark: a plain node:http server around @octokit/webhooks.
// For each POST it reads the raw body and calls Webhooks#verifyAndReceive, the function that
// @octokit/webhooks' own createNodeMiddleware calls after reading the body: HMAC-SHA256 of the
// body with the secret compared in constant time with the X-Hub-Signature-256 header, then
// JSON.parse of the body, then dispatch to the registered handlers (none here). It answers 202 on
// success and 400 on a bad signature or body. It stores nothing and does not check Bitbucket headers.
//
// Why not createNodeMiddleware itself: it insists on GitHub's X-GitHub-Event / X-GitHub-Delivery
// headers and answers 200 "ok"; everything it does per request after those checks is this call.
//
// Usage: WEBHOOK_SECRET=... node octokit-peer.mjs PORT
import http from "node:http";
import { Webhooks } from "@octokit/webhooks";

const port = Number(process.argv[2] ?? 3000);
const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error("set WEBHOOK_SECRET");
  process.exit(2);
}
const webhooks = new Webhooks({ secret });
const ACCEPTED = '{"status":"accepted"}';

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks/bitbucket") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      await webhooks.verifyAndReceive({
        id: req.headers["x-request-uuid"],
        name: req.headers["x-event-key"],
        payload: Buffer.concat(chunks).toString("utf8"),
        signature: req.headers["x-hub-signature-256"],
      });
      res.writeHead(202, { "content-type": "application/json", "content-length": ACCEPTED.length }).end(ACCEPTED);
    } catch (e) {
      const err = e?.errors?.[0] ?? e;
      const body = JSON.stringify({ error: String(err?.message ?? err) });
      res.writeHead(err?.status ?? 500, { "content-type": "application/json" }).end(body);
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`octokit peer listening on 127.0.0.1:${port}`));
