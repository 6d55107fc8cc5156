# Sourced by .ci/run: tools some tests use. Each of those tests skips with a visible message when its
# tool is missing, but CI installs them so nothing is skipped there.

# Node.js and the npm reference MCP server, started through npx by the MCP tests.
if ! command -v npx >/dev/null && command -v apt-get >/dev/null; then
  log "installing Node.js for the MCP reference-server tests"
  (apt-get update -qq && apt-get install -y -qq nodejs npm) >&2 || log "could not install Node.js; those tests will be skipped"
fi
if command -v npx >/dev/null; then
  log "pre-fetching @modelcontextprotocol/server-everything"
  npx -y -p @modelcontextprotocol/server-everything true >&2 || log "pre-fetch failed; the tests will download it themselves"
else
  log "npx not found: the MCP reference-server tests will be skipped"
fi

# Prometheus and promtool, for the deployment tests (promtool checks, alert unit tests, and a real
# Prometheus scraping a running bbagent).
if ! { command -v prometheus >/dev/null && command -v promtool >/dev/null; } && command -v apt-get >/dev/null; then
  log "installing Prometheus for the deployment tests"
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus) >&2 || log "could not install Prometheus; those tests will be skipped"
fi
command -v promtool >/dev/null || log "promtool not found: the deployment tests will be skipped"
