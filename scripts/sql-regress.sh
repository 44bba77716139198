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
# Every test runs as odx, the tables' owner, not a superuser; the upgrade
# test drops and creates the extension, which only a superuser may
# (odx_admin, used for nothing else).
ADMIN_TESTS="upgrade"
tests=$(cd pg_ext/test/sql && ls -- *.sql | sed 's/\.sql$//' | grep -vxF "$ADMIN_TESTS")
mkdir -p pg_ext/test/expected "$out/admin"
[ "${1:-}" = "--bless" ] && for t in $tests $ADMIN_TESTS; do touch "pg_ext/test/expected/$t.out"; done
regress() { # user password outputdir tests...
    local user=$1 password=$2 dir=$3
    shift 3
    PGPASSWORD=$password "$PG_REGRESS" --use-existing --host=127.0.0.1 --port=5432 --user="$user" --dbname=odx_test \
        --bindir=/usr/lib/postgresql/15/bin --inputdir=pg_ext/test --outputdir="$dir" "$@"
}
regress odx odx "$out" $tests > "$out/log" 2>&1
rc=$?
regress odx_admin odx_admin "$out/admin" $ADMIN_TESTS >> "$out/log" 2>&1 || rc=$?
mkdir -p "$out/results"
cp "$out"/admin/results/*.out "$out/results/" 2>/dev/null
[ -f "$out/admin/regression.diffs" ] && cat "$out/admin/regression.diffs" >> "$out/regression.diffs"
cat "$out/log"
if [ "${1:-}" = "--bless" ]; then
    cp "$out"/results/*.out pg_ext/test/expected/
    echo "blessed: review git diff pg_ext/test/expected"
    exit 0
fi
[ -f "$out/regression.diffs" ] && cat "$out/regression.diffs"
passed=$(grep -cE '^(test|ok) .*\.\.\. ok' "$out/log" || true)
# Every test not ok failed: FAILED, or no expected output to compare with.
failed=$(( $(grep -cE '^(test|ok) ' "$out/log" || true) - passed ))
echo "sql: $passed passed, $failed failed"
rm -rf "$out"
exit $rc
