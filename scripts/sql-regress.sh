#!/usr/bin/env bash
# The SQL regression tests of the extension (pg_ext/test/sql/*.sql, expected
# output in pg_ext/test/expected/*.out), run by pg_regress against the system
# cluster's odx_test database. Prints "sql: N passed, N failed".
#   sql-regress.sh           run and compare
#   sql-regress.sh --bless   run and write the outputs as the expected ones
set -uo pipefail
cd "$(dirname "$0")/.."
PG_REGRESS=/usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress
out=$(mktemp -d)
tests=$(cd pg_ext/test/sql && ls -- *.sql | sed 's/\.sql$//')
mkdir -p pg_ext/test/expected
[ "${1:-}" = "--bless" ] && for t in $tests; do touch "pg_ext/test/expected/$t.out"; done
PGPASSWORD=odx "$PG_REGRESS" --use-existing --host=127.0.0.1 --port=5432 --user=odx --dbname=odx_test \
    --bindir=/usr/lib/postgresql/15/bin --inputdir=pg_ext/test --outputdir="$out" $tests > "$out/log" 2>&1
rc=$?
cat "$out/log"
if [ "${1:-}" = "--bless" ]; then
    cp "$out"/results/*.out pg_ext/test/expected/
    echo "blessed: review git diff pg_ext/test/expected"
    exit 0
fi
[ -f "$out/regression.diffs" ] && cat "$out/regression.diffs"
passed=$(grep -cE '^(test|ok) .*\.\.\. ok' "$out/log" || true)
failed=$(grep -cE '\.\.\. FAILED' "$out/log" || true)
echo "sql: $passed passed, $failed failed"
rm -rf "$out"
exit $rc
