#!/usr/bin/env bash
# Rewrites the ConfigMap in deploy/k8s/configmap.yaml from config/rules.yaml, so the Kubernetes deployment
# ships the same rules as the repository. DeployFilesTest fails when the two differ.
#
#   deploy/k8s/sync-rules.sh            # from anywhere; edits deploy/k8s/configmap.yaml in place
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$here/../../config/rules.yaml"
out="$here/configmap.yaml"
tmp="$(mktemp "$out.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
{
  sed -n '1,/^data:$/p' "$out"
  echo '  rules.yaml: |'
  # Blank lines stay empty (a YAML block scalar keeps them without the indentation).
  sed -e 's/^\(.\)/    \1/' "$rules"
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out from config/rules.yaml"
