#!/usr/bin/env bash
# A/B comparison of bbagent builds on the intake path: each git revision is built once, then the builds take
# turns (fresh data folder, warm-up, measurement) for several rounds, so that drifts of a shared machine fall
# on all of them alike. Prints one line per measurement and the median of each build.
#
#   bench/intake/ab.sh [REV[:JVM-OPTIONS]...]     # default: HEAD~1 HEAD
#   bench/intake/ab.sh HEAD HEAD:-XX:+UseParallelGC    # one build, two JVM settings
#
# Settings (environment): ROUNDS=3, WARMUP=30 (s), DURATION=15 (s), CONNS=64, SYNC=full, THREADS=2,
# PAYLOAD and EVENT_KEY as in run.sh, BBAGENT_JAVA_OPTS (passed to every build).
#
# Columns: req/s, wrk's p50 and p99 (ms), the server's CPU per delivery (µs, user + system, all its threads),
# its cores, context switches per delivery, and deliveries per group commit (bbagent_store_batch_size).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-15}
CONNS=${CONNS:-64}
SYNC=${SYNC:-full}
THREADS=${THREADS:-2}
PAYLOAD=${PAYLOAD:-$here/payload/pullrequest-fulfilled.json}
EVENT_KEY=${EVENT_KEY:-pullrequest:fulfilled}
[ $# -gt 0 ] || set -- HEAD~1 HEAD

log() { printf '[ab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v openssl >/dev/null || die "openssl is needed"
. "$root/bin/lib/jdk.sh"
bbagent_find_jdk || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/bbagent-ab.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  for d in "$work"/src-*; do [ -d "$d" ] && git -C "$root" worktree remove --force "$d" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- builds ------------------------------------------------------------------------------------
names=() shas=() opts=()
for variant in "$@"; do
  rev=${variant%%:*}
  opt=""; [ "$rev" = "$variant" ] || opt=${variant#*:}
  sha=$(git -C "$root" rev-parse --short "$rev^{commit}") || die "unknown revision $rev"
  name="$rev($sha)${opt:+ $opt}"
  names+=("$name"); shas+=("$sha"); opts+=("$opt")
  src="$work/src-$sha"
  [ -d "$src" ] && continue
  log "building $name"
  git -C "$root" worktree add --detach -q "$src" "$sha"
  (cd "$src" && mvn -B -q -Dstyle.color=never -DskipTests package >&2) || die "build of $name failed"
  mkdir -p "$work/jar-$sha" && cp -r "$src/target/bbagent.jar" "$src/target/lib" "$work/jar-$sha/"
done

secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
signature="sha256=$(openssl dgst -sha256 -hmac "$secret" -hex <"$PAYLOAD" | awk '{print $NF}')"
port=$(( 20000 + RANDOM % 20000 ))

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
batches() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^bbagent_store_batch_size_(count|sum)\{db="main"/ {printf "%s ", $2}'; }

load() { # seconds
  wrk -t"$THREADS" -c"$CONNS" -d"$1s" -s "$here/post.lua" "http://127.0.0.1:$port/webhooks/bitbucket" \
    -- "$PAYLOAD" "$EVENT_KEY" X-Hub-Signature "$signature" "$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')" \
    | sed -n 's/^RESULT //p'
}

measure() { # name sha jvm-options
  local data="$work/data" hz t0 t1 c0 c1 b0 b1 result
  rm -rf "$data"; mkdir -p "$data"
  BITBUCKET_WEBHOOK_SECRET="$secret" BBAGENT_HOST=127.0.0.1 BBAGENT_PORT="$port" BBAGENT_DATA_DIR="$data" \
    BBAGENT_DB_SYNC="$SYNC" BBAGENT_RULES="$root/config/rules.yaml" \
    OPENAI_BASE_URL=http://127.0.0.1:9/v1 OPENAI_API_KEY=bench-unused \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m --sun-misc-unsafe-memory-access=allow \
    ${BBAGENT_JAVA_OPTS:-} $3 -jar "$work/jar-$2/bbagent.jar" serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/health/live" && break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null || die "$1 did not start: $(tail -n 3 "$work/server.log")"
  load "$WARMUP" >/dev/null
  hz=$(getconf CLK_TCK); t0=$(ticks "$pid"); c0=$(switches "$pid"); b0=$(batches)
  result=$(load "$DURATION")
  t1=$(ticks "$pid"); c1=$(switches "$pid"); b1=$(batches)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  awk -v r="$result" -v t=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$hz" -v b="$b0 $b1" -v name="$1" 'BEGIN {
    n = split(r, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] }
    split(b, q, " "); batch = (q[3] - q[1]) > 0 ? (q[4] - q[2]) / (q[3] - q[1]) : 0
    printf "%-36s rps %6.0f  p50 %5.2f  p99 %6.2f  cpu/req %6.1f us  cores %.2f  cs/req %.2f  batch %.1f\n",
      name, v["rps"], v["p50_ms"], v["p99_ms"], t / hz * 1e6 / v["responses"], t / hz / v["secs"],
      c / v["responses"], batch }'
}

# ---- rounds ------------------------------------------------------------------------------------
out="$work/lines"
: >"$out"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!names[@]}"; do
    line=$(measure "${names[$i]}" "${shas[$i]}" "${opts[$i]}")
    echo "round $round  $line" | tee -a "$out"
    echo "$line" >>"$out-$i"
  done
done

echo "medians over $ROUNDS rounds ($CONNS connections, BBAGENT_DB_SYNC=$SYNC):"
for i in "${!names[@]}"; do
  name=${names[$i]}
  med() { grep -o "$1 *[0-9.]*" "$out-$i" | awk '{print $NF}' | sort -n \
    | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  printf '  %-36s rps %s  cpu/req %s us  batch %s\n' "$name" "$(med rps)" "$(med cpu/req)" "$(med batch)"
done
