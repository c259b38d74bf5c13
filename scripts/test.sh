#!/usr/bin/env bash
# Runs the test suites. `all` (npm test): type-check, unit and integration tests on PGlite, browser tests.
# `pg`: the integration tests again on the PostgreSQL server of TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
export TZ=Europe/Paris

# Test files under the given paths (paths that do not exist yet are ignored).
list() {
  local existing=()
  for p in "$@"; do [ -e "$p" ] && existing+=("$p"); done
  [ ${#existing[@]} -eq 0 ] || find "${existing[@]}" -name '*.test.ts' | sort
}
# No --test-force-exit: on Node 20 it ended a file's process before the reports of its last tests were written,
# and the run stayed green with fewer tests (br-fr-rules.test.ts: 82, 84 or 91 of its 99).
run_node_tests() {
  local files=("$@")
  if [ ${#files[@]} -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
  node --import tsx --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
}

unit_files() { list src test/unit test/formats test/validation test/dume test/architecture.test.ts; }
integration_files() { list test/integration; }
e2e_files() { list test/e2e; }

case "$mode" in
  all)
    echo "== type-check"; npx tsc --noEmit
    echo "== unit and integration tests (PGlite)"; mapfile -t files < <(unit_files; integration_files); run_node_tests "${files[@]}"
    echo "== browser tests (Chromium)"; mapfile -t files < <(e2e_files); run_node_tests "${files[@]}"
    ;;
  unit) mapfile -t files < <(unit_files); run_node_tests "${files[@]}" ;;
  integration) mapfile -t files < <(integration_files); run_node_tests "${files[@]}" ;;
  pg)
    : "${TEST_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/postgres}"
    export TEST_DATABASE_URL
    echo "== integration tests (PostgreSQL: ${TEST_DATABASE_URL%%@*}@…)"
    mapfile -t files < <(integration_files); run_node_tests "${files[@]}" ;;
  e2e) mapfile -t files < <(e2e_files); run_node_tests "${files[@]}" ;;
  *) echo "usage: scripts/test.sh all|unit|integration|pg|e2e" >&2; exit 2 ;;
esac
