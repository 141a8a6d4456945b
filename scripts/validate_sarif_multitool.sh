#!/usr/bin/env bash
# Validate dockerlint's SARIF with Microsoft's SARIF Multitool and GitHub's ingestion rules
# ("validate --rule-kind Gh;Sarif"), offline. Not part of the test suite (it needs npm and a
# 100 MB binary); the suite's gate is the OASIS schema test in tests/test_sarif.py.
#
#   scripts/validate_sarif_multitool.sh            # npm-installs the multitool into a temp folder
#   MULTITOOL=/path/to/Sarif.Multitool scripts/validate_sarif_multitool.sh
#
# Lints a sample tree that exercises every SARIF feature dockerlint emits (results of
# every group, a parse error as a tool notification, an inline-suppressed finding with
# --sarif-include-suppressed, a fix, --sarif-category, a finding at another severity than its
# rule's default and so its <ID>/<severity> rule entry) and fails on any multitool result.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DOCKERLINT="${DOCKERLINT:-dockerlint}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${MULTITOOL:-}" ]]; then
  (cd "$WORK" && npm install --silent --no-audit --no-fund @microsoft/sarif-multitool >/dev/null)
  MULTITOOL="$WORK/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  chmod u+x "$MULTITOOL"  # npm may skip the package's postinstall chmod
fi

mkdir -p "$WORK/tree/etc/docker" "$WORK/tree/broken" "$WORK/tree/app" "$WORK/tree/tool"
cp -r "$ROOT/fixtures/DC101/fire/." "$WORK/tree/app/"
printf 'FROM debian:12\n# dockerlint: ignore[DF101] drops privileges with gosu (SEC-1)\nUSER root\n' \
  > "$WORK/tree/app/Dockerfile"
printf '{\n  "hosts": ["tcp://0.0.0.0:2376"],\n  "tls": true\n}\n' > "$WORK/tree/etc/docker/daemon.json"
printf 'FROM debian:12\nRUN <<EOT\nnever closed\n' > "$WORK/tree/broken/Dockerfile"
# no CMD: the base image's decides, so DF101 is medium there (rule entry DF101/medium)
printf 'FROM golang:1.22\nRUN go build ./...\n' > "$WORK/tree/tool/Dockerfile"

(cd "$WORK/tree" && "$DOCKERLINT" --format sarif --output "$WORK/in.sarif" --fail-on never \
  --sarif-category dockerlint --sarif-include-suppressed --extend-select DL .)
if ! "$MULTITOOL" validate --rule-kind "Gh;Sarif" --output "$WORK/out.sarif" "$WORK/in.sarif" >"$WORK/mt.log" 2>&1 \
    || [[ ! -s "$WORK/out.sarif" ]]; then
  cat "$WORK/mt.log" >&2
  exit 2
fi
python3 - "$WORK/in.sarif" "$WORK/out.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
print(f"input: {len(run['results'])} results, {len(run['tool']['driver']['rules'])} rules, "
      f"{sum('/' in r['id'] for r in run['tool']['driver']['rules'])} at another severity, "
      f"{sum('fixes' in r for r in run['results'])} with fixes, "
      f"{sum('suppressions' in r for r in run['results'])} suppressed, "
      f"{len(run['invocations'][0].get('toolExecutionNotifications', []))} notifications")
out = json.load(open(sys.argv[2]))
results = [r for r in out["runs"][0].get("results", [])]
for r in results:
    print(f"{r.get('level', 'warning')}: {r['ruleId']}: {r['message'].get('text') or r['message']}")
print(f"multitool (Gh;Sarif): {len(results)} results")
sys.exit(1 if results else 0)
PY
