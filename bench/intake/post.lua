-- wrk script for the webhook intake benchmark: POSTs one real Bitbucket Cloud payload, signed once
-- (the HMAC covers only the body), with a unique X-Request-UUID per request so bbagent never sees a
-- duplicate, and counts every response by status.
--
-- wrk -s post.lua URL -- BODY_FILE EVENT_KEY SIG_HEADER SIGNATURE NONCE [STYLE]
--   BODY_FILE   the payload file, sent byte for byte
--   EVENT_KEY   X-Event-Key, matching the payload (e.g. pullrequest:fulfilled)
--   SIG_HEADER  header carrying the signature: X-Hub-Signature (Bitbucket, bbagent) or
--               X-Hub-Signature-256 (what @octokit/webhooks reads)
--   SIGNATURE   sha256=<hex HMAC-SHA256 of the body>
--   NONCE       8 hex digits, unique per wrk run, so ids never repeat across runs
--   STYLE       bitbucket (default): the event key and id in X-Event-Key and X-Request-UUID;
--               github: the same values under GitHub's names, X-GitHub-Event and X-GitHub-Delivery,
--               which @octokit/webhooks' middleware requires
--
-- done() prints one line "RESULT key=value ..." that run.sh parses.

local threads = {}
local counter = 1

function setup(thread)
   thread:set("tid", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

local prefix, suffix
local nonce
sent, c202, c2xx, non2xx, first_bad = 0, 0, 0, 0, ""

function init(args)
   local f = assert(io.open(args[1], "rb"))
   local body = f:read("*a")
   f:close()
   nonce = args[5]
   local github = args[6] == "github"
   local headers = {
      ["Host"] = "127.0.0.1",
      ["User-Agent"] = "Bitbucket-Webhooks/2.0",
      ["Content-Type"] = "application/json",
      [github and "X-GitHub-Event" or "X-Event-Key"] = args[2],
      ["X-Hook-UUID"] = "{1b1c9a4e-5c1d-4c55-9e36-6f7b0c2d9a11}",
      ["X-Attempt-Number"] = "1",
      [args[3]] = args[4],
      [github and "X-GitHub-Delivery" or "X-Request-UUID"] = "@@ID@@",
   }
   local req = wrk.format("POST", nil, headers, body)
   local at = string.find(req, "@@ID@@", 1, true)
   prefix = string.sub(req, 1, at - 1)
   suffix = string.sub(req, at + 6)
end

function request()
   sent = sent + 1
   -- nonce-thread-4000-8000-counter: UUID-shaped, unique across threads and runs
   return prefix .. string.format("%s-%04x-4000-8000-%012d", nonce, tid, sent) .. suffix
end

function response(status, headers, body)
   if status == 202 then
      c202 = c202 + 1
   elseif status >= 200 and status < 300 then
      c2xx = c2xx + 1
   else
      non2xx = non2xx + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(string.gsub(body or "", "%s+", " "), 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local s, a, b, n, bad = 0, 0, 0, 0, ""
   for _, t in ipairs(threads) do
      s = s + t:get("sent")
      a = a + t:get("c202")
      b = b + t:get("c2xx")
      n = n + t:get("non2xx")
      if bad == "" then bad = t:get("first_bad") end
   end
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      "RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f responses=%d sent=%d s202=%d other2xx=%d non2xx=%d sock_errors=%d secs=%.2f\n",
      summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000, summary.requests, s, a, b, n,
      e.connect + e.read + e.write + e.timeout, secs))
   if bad ~= "" then
      io.write("FIRST_NON2XX " .. bad .. "\n")
   end
end
