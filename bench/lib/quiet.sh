# Sourced by the benchmark scripts (bench/*/run.sh): measure the CPU other processes use, and wait for a
# quiet machine before measuring. The caller defines log(), and sets $work (a scratch folder), NOISE_MAX
# (cores) and QUIET_TIMEOUT (seconds).

# "pid ticks" of every user-space process (kernel threads, children of pid 2, are left out); the
# command name may hold spaces, so it is cut out before splitting.
snapshot() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | sed 's/^\([0-9]*\) (.*) /\1 /' | awk '$3 != 2 && $1 != 2 {print $1, $13 + $14}'; }

# CPU ticks used between two snapshots by processes other than the given pids (and this script's own)
others_ticks() { # before-file after-file pid...
  local before=$1 after=$2; shift 2
  awk -v skip=" $* $$ " 'NR == FNR {t[$1] = $2; next}
    index(skip, " " $1 " ") == 0 {d = $2 - ($1 in t ? t[$1] : 0); if (d > 0) sum += d}
    END {print sum + 0}' "$before" "$after"
}
hz=$(getconf CLK_TCK)

# Wait until processes other than the given pids use at most NOISE_MAX cores (sampled over 3 s), at most
# QUIET_TIMEOUT s; then measure anyway, with a warning.
wait_quiet() { # pid...
  local waited=0 used
  while :; do
    snapshot >"$work/q0"; sleep 3; snapshot >"$work/q1"
    used=$(awk -v t="$(others_ticks "$work/q0" "$work/q1" "$@")" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz / 3}')
    if awk -v u="$used" -v m="$NOISE_MAX" 'BEGIN {exit !(u <= m)}'; then
      [ "$waited" -eq 0 ] || log "machine quiet again (other processes: $used cores) after ${waited}s"
      return 0
    fi
    if [ "$waited" -ge "$QUIET_TIMEOUT" ]; then
      log "WARNING: other processes still use $used cores after ${waited}s; measuring anyway"
      return 0
    fi
    [ "$waited" -gt 0 ] || log "other processes use $used cores (> NOISE_MAX=$NOISE_MAX); waiting for a quiet machine"
    sleep 5; waited=$((waited + 8))
  done
}
