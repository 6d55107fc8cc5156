#!/bin/bash
# Container health probe: exits 0 when GET <path> (default /health/ready) on this container's bbagent
# answers 200. The Temurin 25 images ship neither curl nor wget, so this speaks HTTP/1.0 over bash's
# /dev/tcp instead of adding a package to the image.
#   healthcheck.sh [path]        BBAGENT_PORT picks the port (default 8080)
path="${1:-/health/ready}"
port="${BBAGENT_PORT:-8080}"
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || { echo "bbagent is not listening on port ${port}"; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || { echo "no answer from ${path}"; exit 1; }
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "${path}: ${status%$'\r'}"; exit 1 ;;
esac
