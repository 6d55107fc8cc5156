#!/usr/bin/env bash
# Agent-runtime benchmark: bbagent's agent runtime against the JS OpenAI Agents SDK (@openai/agents), in the
# same run, against the same zero-latency fake model and the same MCP server; then 1,000 bbagent runs at
# once against a fake model that takes 2 s per reply, in a JVM with -Xmx512m.
#
#   bench/agent/run.sh             # from the repository root or anywhere; see bench/README.md
#
# The script each run executes (both systems): the model's first reply asks for one call of the MCP tool
# `echo` (bbagent offers it as `mcp__echo`, the JS SDK as `echo`; the fake answers with whichever name the
# request offers), the tool runs on the MCP server, the second reply is the final text.
#
# Processes, all on loopback:
#   servers   BenchServers (one JVM): FakeOpenAi with no latency, FakeOpenAi with LOAD_LATENCY_MS per reply,
#             and the test MCP server over Streamable HTTP (the MCP Java SDK's servlet transport in Jetty)
#   bbagent   AgentBench (one JVM, -Xmx$BENCH_XMX): the real agent runtime (rules, SQLite store and queue,
#             history, MCP client, openai-java); modes `direct` (AgentRunner.handle on claimed jobs) and
#             `pool` (a WorkerPool claims, runs and completes queued jobs)
#   js        bench/agent/js/bench.mjs (node): Agent + run() + MCPServerStreamableHttp + OpenAIChatCompletionsModel
#   load      AgentLoad (one JVM, -Xmx$LOAD_XMX, GC log): LOAD_RUNS jobs at once through a WorkerPool with as
#             many workers, against the slow fake model
#
# Settings (environment):
#   RUNS=500            measured runs per system, mode and concurrency
#   WARMUP=20000        warm-up runs at concurrency 4 when each client process starts; every configuration
#                       then gets WARMUP/4 (at least 50) more at its own concurrency before it is measured.
#                       bbagent's JVM needs about this many: after 2,000 runs its C2 compiler still works
#                       through most of a measured batch (the bbagent log reports JIT time per batch)
#   CONCURRENCY=1,4     concurrencies measured, in this order
#   MODES=direct,pool   bbagent modes
#   ROUNDS=2            repeat bbagent and js (odd rounds bbagent first, even rounds js first)
#   LOAD_RUNS=1000 LOAD_ROUNDS=2 LOAD_LATENCY_MS=2000 LOAD_XMX=512m
#   LOAD_PREWARM_MCP=false  true: connect to the MCP server and list its tools before the first load round
#                       (a diagnostic: bbagent itself connects on first use, i.e. in the first round's runs)
#   BENCH_XMX=512m      heap of the bbagent throughput JVM (bbagent's default)
#   PARTS="throughput load"
#   NOISE_MAX=0.3       before each client starts and before each measurement, wait (up to QUIET_TIMEOUT=600 s,
#                       5 min in the clients) until other processes use at most this many cores; a measurement
#                       during which they used more is repeated, up to MAX_ATTEMPTS=3 (the `attempt` column);
#                       every row records what they used (`other_cores`)
#
# Output: the tables on stdout and in bench/results/agent-<time>/ (results.md, throughput.tsv, load.tsv,
# machine.txt, logs, GC log of the load JVM).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RUNS=${RUNS:-500}
WARMUP=${WARMUP:-20000}
CONCURRENCY=${CONCURRENCY:-1,4}
MODES=${MODES:-direct,pool}
ROUNDS=${ROUNDS:-2}
LOAD_RUNS=${LOAD_RUNS:-1000}
LOAD_ROUNDS=${LOAD_ROUNDS:-2}
LOAD_LATENCY_MS=${LOAD_LATENCY_MS:-2000}
LOAD_XMX=${LOAD_XMX:-512m}
LOAD_PREWARM_MCP=${LOAD_PREWARM_MCP:-false}
BENCH_XMX=${BENCH_XMX:-512m}
PARTS=${PARTS:-"throughput load"}
NOISE_MAX=${NOISE_MAX:-0.3}
MAX_ATTEMPTS=${MAX_ATTEMPTS:-3}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-600}
PAYLOAD=${PAYLOAD:-$root/bench/intake/payload/pullrequest-fulfilled.json}

log() { printf '[agent %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

command -v node >/dev/null || die "node (20+) is needed for the @openai/agents peer"
command -v npm >/dev/null || die "npm is needed to install the @openai/agents peer"
command -v mvn >/dev/null || die "Maven (mvn) is needed to build the benchmark"
[ -f "$PAYLOAD" ] || die "payload $PAYLOAD not found"

. "$root/bin/lib/jdk.sh"
bbagent_find_jdk || exit 2

stamp=$(date +%Y%m%d-%H%M%S)
out="$root/bench/results/agent-$stamp"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/bbagent-agent-bench.XXXXXX")
servers_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$servers_pid" ] && kill -0 "$servers_pid" 2>/dev/null; then
    kill "$servers_pid" 2>/dev/null || true
    wait "$servers_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build -------------------------------------------------------------------------------------
if [ ! -d "$here/js/node_modules/@openai/agents" ] || [ "$here/js/package-lock.json" -nt "$here/js/node_modules" ]; then
  log "installing the @openai/agents peer (npm ci)"
  (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $here/js"
fi
log "compiling bbagent and the benchmark (mvn test-compile)"
(cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/deps.classpath" -Dmdep.includeScope=test >&2) || die "the build failed"
# A private copy of the classes: other sessions may rebuild target/ while this runs.
cp -r "$root/target/classes" "$work/classes"
cp -r "$root/target/test-classes" "$work/test-classes"
cp="$work/test-classes:$work/classes:$(cat "$work/deps.classpath")"
java_opts=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+ExitOnOutOfMemoryError)

# ---- CPU of other processes ----------------------------------------------------------------------
. "$root/bench/lib/quiet.sh"

# ---- machine facts -----------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (+ uncommitted changes in src/)')"
  echo "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "ram: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n2 | tail -n1)"
  echo "node: $(node --version)"
  echo "@openai/agents: $(node -p 'require("'"$here"'/js/node_modules/@openai/agents/package.json").version')"
  echo "openai (npm): $(node -p 'require("'"$here"'/js/node_modules/openai/package.json").version')"
  echo "@modelcontextprotocol/client (npm): $(node -p 'require("'"$here"'/js/node_modules/@modelcontextprotocol/client/package.json").version')"
  echo "settings: RUNS=$RUNS WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY MODES=$MODES ROUNDS=$ROUNDS LOAD_RUNS=$LOAD_RUNS LOAD_ROUNDS=$LOAD_ROUNDS LOAD_LATENCY_MS=$LOAD_LATENCY_MS LOAD_XMX=$LOAD_XMX LOAD_PREWARM_MCP=$LOAD_PREWARM_MCP BENCH_XMX=$BENCH_XMX"
  echo "uptime at start: $(uptime)"
} >"$out/machine.txt"
cat "$out/machine.txt" >&2

# ---- the shared servers --------------------------------------------------------------------------
mkfifo "$work/servers.in"
"$JAVA_HOME/bin/java" "${java_opts[@]}" -Xmx3g -cp "$cp" dev.bbagent.bench.agent.BenchServers "$LOAD_LATENCY_MS" \
  <"$work/servers.in" >"$out/servers.out" 2>"$out/servers.log" &
servers_pid=$!
exec 3>"$work/servers.in" # the servers run until this closes
for _ in $(seq 1 120); do
  grep -q '^READY' "$out/servers.out" 2>/dev/null && break
  kill -0 "$servers_pid" 2>/dev/null || die "the servers did not start; see $out/servers.log"
  sleep 0.5
done
grep -q '^READY' "$out/servers.out" || die "the servers did not start within 60 s; see $out/servers.log"
url() { sed -n "s/^$1=//p" "$out/servers.out" | head -n1; }
llm_url=$(url LLM_URL); slow_url=$(url LLM_SLOW_URL); mcp_url=$(url MCP_URL)
log "servers (pid $servers_pid): model $llm_url, slow model $slow_url, MCP $mcp_url"

common=(llm="$llm_url" mcp="$mcp_url" payload="$PAYLOAD" runs="$RUNS" warmup="$WARMUP" concurrency="$CONCURRENCY"
  servers_pid="$servers_pid" noise_max="$NOISE_MAX" attempts="$MAX_ATTEMPTS")

run_bbagent() { # round
  "$JAVA_HOME/bin/java" "${java_opts[@]}" -Xmx"$BENCH_XMX" -cp "$cp" dev.bbagent.bench.agent.AgentBench \
    "${common[@]}" modes="$MODES" 2>>"$out/bbagent-$1.log" | grep -v '^system' | sed "s/^/$1\t/" >>"$out/throughput.tsv"
}
run_js() { # round
  node "$here/js/bench.mjs" "${common[@]}" 2>>"$out/js-$1.log" | sed "s/^/$1\t/" >>"$out/throughput.tsv"
}

# ---- throughput ----------------------------------------------------------------------------------
if [[ " $PARTS " == *" throughput "* ]]; then
  printf 'round\tsystem\tmode\tconcurrency\truns\terrors\twall_s\truns_per_s\trun_p50_ms\trun_p99_ms\tllm_p50_ms\ttool_p50_ms\toverhead_p50_ms\toverhead_p99_ms\toverhead_mean_ms\tclient_cpu_ms_per_run\tservers_cpu_ms_per_run\tother_cores\ttcp_opens_per_run\tattempt\n' >"$out/throughput.tsv"
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then order="bbagent js"; else order="js bbagent"; fi
    for who in $order; do
      wait_quiet "${servers_pid:-0}"
      log "round $round: $who (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
      echo "round $round $who start: $(uptime)" >>"$out/uptime.log"
      "run_$who" "$round" || die "$who failed; see $out/$who-$round.log"
      echo "round $round $who end:   $(uptime)" >>"$out/uptime.log"
    done
  done
fi

# ---- 1,000 runs in flight ------------------------------------------------------------------------
if [[ " $PARTS " == *" load "* ]]; then
  wait_quiet "${servers_pid:-0}"
  log "load: $LOAD_RUNS runs at once, model latency $LOAD_LATENCY_MS ms, -Xmx$LOAD_XMX (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "load start: $(uptime)" >>"$out/uptime.log"
  "$JAVA_HOME/bin/java" "${java_opts[@]}" -Xmx"$LOAD_XMX" -Xlog:gc:file="$out/load-gc.log" -cp "$cp" \
    dev.bbagent.bench.agent.AgentLoad llm="$slow_url" mcp="$mcp_url" payload="$PAYLOAD" runs="$LOAD_RUNS" \
    rounds="$LOAD_ROUNDS" prewarm_mcp="$LOAD_PREWARM_MCP" >"$out/load.tsv" 2>"$out/load.log" || die "the load test failed; see $out/load.log"
  echo "load end:   $(uptime)" >>"$out/uptime.log"
  # The largest heap occupancy the GC log shows before a collection (e.g. "... 301M->42M(512M) ...").
  gc_peak=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$out/load-gc.log" | sed 's/M->.*//' | sort -n | tail -n1)
  echo "largest heap before a GC (GC log, whole load JVM): ${gc_peak:-?} MB" >"$out/load-gc-peak.txt"
fi

# ---- report --------------------------------------------------------------------------------------
{
  echo "# Agent runtime benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  sed 's/^/    /' "$out/machine.txt"
  if [ -f "$out/throughput.tsv" ]; then
    echo
    echo "## Throughput (RUNS=$RUNS per row; times in ms)"
    echo
    awk -F'\t' 'NR == 1 {h = "|"; s = "|"; for (i = 1; i <= NF; i++) {h = h " " $i " |"; s = s "---|"}; print h; print s; next}
      {l = "|"; for (i = 1; i <= NF; i++) l = l " " $i " |"; print l}' "$out/throughput.tsv"
    echo
    echo "Runs/s ratios in the same round (bbagent / JS SDK):"
    echo
    awk -F'\t' 'NR > 1 {key = $1 "\t" $4; if ($2 == "bbagent") b[key "\t" $3] = $8; else j[key] = $8; rounds[$1] = 1; conc[$4] = 1; modes[$3] = ($2 == "bbagent") ? 1 : modes[$3]}
      END {for (r in rounds) for (c in conc) for (m in modes) if (modes[m] && (r "\t" c "\t" m) in b && (r "\t" c) in j)
        printf "- round %s, concurrency %s, %s: %.2fx\n", r, c, m, b[r "\t" c "\t" m] / j[r "\t" c]}' "$out/throughput.tsv" | sort
  fi
  if [ -f "$out/load.tsv" ]; then
    echo
    echo "## $LOAD_RUNS runs at once, model latency $LOAD_LATENCY_MS ms, -Xmx$LOAD_XMX"
    echo
    awk -F'\t' 'NR == 1 {h = "|"; s = "|"; for (i = 1; i <= NF; i++) {h = h " " $i " |"; s = s "---|"}; print h; print s; next}
      {l = "|"; for (i = 1; i <= NF; i++) l = l " " $i " |"; print l}' "$out/load.tsv"
    echo
    cat "$out/load-gc-peak.txt"
    echo "warnings in the load log (besides the gauge re-registration notice of the second pool): $(grep 'WARN' "$out/load.log" | grep -vc 'has been already registered' || true)"
  fi
  echo
  echo "uptime:"
  sed 's/^/    /' "$out/uptime.log"
} >"$out/results.md"
cat "$out/results.md"
log "results in $out"
