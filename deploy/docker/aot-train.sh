#!/bin/bash
# Writes the JDK AOT cache during `docker build` (a training run): starts `bbagent serve` with
# -XX:AOTCacheOutput=<file>, waits until it is ready, sends it the requests a serving bbagent sees (health,
# metrics, one webhook delivery that matches a rule), then stops it with SIGTERM; the JVM writes the cache
# as it exits. The run uses the image's JDK_JAVA_OPTIONS, the same JVM flags the container runs with,
# which the cache requires. The training data folder is thrown away.
#   aot-train.sh /app/bbagent.aot        (BBAGENT_HOME: the folder holding bbagent.jar, default /app)
set -euo pipefail
out="$1"
app="${BBAGENT_HOME:-/app}"
port=18080
data="$(mktemp -d)"

http() { # http METHOD PATH [BODY [EVENT_KEY]]: one HTTP/1.0 request over bash's /dev/tcp; prints the status line
  exec 3<>"/dev/tcp/127.0.0.1/${port}"
  if [ -n "${3:-}" ]; then
    printf 'POST %s HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Event-Key: %s\r\nX-Request-UUID: aot-training-%s\r\nContent-Length: %s\r\n\r\n%s' \
      "$2" "$4" "$RANDOM" "${#3}" "$3" >&3
  else
    printf '%s %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" "$2" >&3
  fi
  head -n 1 <&3
  exec 3<&-
}

BBAGENT_PORT="$port" BBAGENT_DATA_DIR="$data" BBAGENT_INSTANCE_ID=aot-training BBAGENT_SHUTDOWN_GRACE=5s \
  BITBUCKET_WEBHOOK_SECRET="" BBAGENT_ALLOW_UNSIGNED=true OPENAI_BASE_URL=http://127.0.0.1:9/v1 \
  java -XX:AOTCacheOutput="$out" -jar "$app/bbagent.jar" serve &
pid=$!
for _ in $(seq 1 600); do
  BBAGENT_PORT="$port" "$app/healthcheck.sh" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "aot-train: bbagent exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
body='{"actor":{"type":"user","account_id":"a1","display_name":"Ann"},"repository":{"full_name":"acme/widgets","uuid":"{r1}"},"pullrequest":{"id":7,"title":"Add retries","state":"OPEN","draft":false,"source":{"branch":{"name":"feat"}},"destination":{"branch":{"name":"main"}}}}'
http GET /health/live
http GET /metrics
http POST /webhooks/bitbucket "$body" pullrequest:created
sleep 2
http GET /metrics
kill -TERM "$pid"
wait "$pid" || [ $? -eq 143 ] # 143: the JVM ended on SIGTERM after its shutdown hooks ran
rm -rf "$data"
test -s "$out"
echo "aot-train: wrote $out ($(du -h "$out" | cut -f1))"
