#!/usr/bin/env bash
# PostgreSQL for the tests. Idempotent.
#   pg-setup.sh server     install PostgreSQL 15 and the build tools if missing,
#                          start the cluster, create the `odx` login role
#   pg-setup.sh toolchain  install cargo-pgrx =0.18.1 if missing, pgrx init on
#                          the system pg_config
#   pg-setup.sh extension  build and install the odx extension into the server
#   pg-setup.sh databases  rebuild the test databases from the fixtures (with the
#                          extension); prints the test DATABASE_URL last
set -euo pipefail
cd "$(dirname "$0")/.."

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
PG_BIN=/usr/lib/postgresql/15/bin
PGRX_VERSION=0.18.1
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }

server() {
    local packages=(postgresql-15 postgresql-server-dev-15 clang libclang-dev sudo)
    if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
        echo "installing ${packages[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
    fi
    pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main ' || pg_createcluster 15 main
    pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
    for _ in $(seq 1 60); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
    "$PG_BIN/pg_isready" -h 127.0.0.1 -p 5432
    psql_admin -d postgres <<'SQL'
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx') THEN
        CREATE ROLE odx LOGIN SUPERUSER PASSWORD 'odx';
    END IF;
END $$;
SQL
}

toolchain() {
    if [ "$(cargo pgrx --version 2>/dev/null)" != "cargo-pgrx $PGRX_VERSION" ]; then
        echo "installing cargo-pgrx $PGRX_VERSION (a few minutes)"
        cargo install cargo-pgrx --version "=$PGRX_VERSION" --locked
    fi
    local home=${PGRX_HOME:-$HOME/.pgrx}
    if ! grep -qs "pg15 = \"$PG_CONFIG\"" "$home/config.toml"; then
        cargo pgrx init --pg15 "$PG_CONFIG"
    fi
}

extension() {
    (cd pg_ext && cargo pgrx install --release --pg-config "$PG_CONFIG")
    # cargo pgrx installs the current version's script and the upgrade
    # scripts; the released base scripts that upgrades start from come from
    # pg_ext/sql as well.
    local extdir current
    extdir="$("$PG_CONFIG" --sharedir)/extension"
    current=$(sed -n 's/^version = "\(.*\)"/\1/p' pg_ext/Cargo.toml)
    for base in pg_ext/sql/odx--*.sql; do
        case "$base" in
            *--*--*.sql | */odx--"$current".sql) ;;
            *) install -m 644 "$base" "$extdir/" ;;
        esac
    done
}

databases() {
    local fixtures=(cargo run -q --locked --release -p odx-fixtures --)
    for db in odx_test odx_degraded odx_no_org odx_no_payroll; do
        psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx"
    done
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer; "${fixtures[@]}" demo
      echo "CREATE EXTENSION odx;"; } | psql_admin -d odx_test
    # A database missing two tables and one column, for degraded mode.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.lab_cases, app.payroll; ALTER TABLE app.appointments DROP COLUMN room_id; CREATE EXTENSION odx;"; } \
        | psql_admin -d odx_degraded
    # A clinic database without the org layer (no organizations, assignments
    # or targets): the domains work, the console read-outs are degraded.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.organization_templates, app.ops_targets, app.user_organization_assignments,"
      echo "    app.organization_clinics, app.organizations; CREATE EXTENSION odx;"; } | psql_admin -d odx_no_org
    # A database without payroll: the console hides net profit and the
    # expense ratio only.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.payroll; CREATE EXTENSION odx;"; } | psql_admin -d odx_no_payroll
    # Clinic databases the demo seed and teardown are tried on, owned and
    # loaded by odx (the role a tool writing to a live database runs as): two
    # with the known-answer tenant, one whose org-layer tables are missing.
    for db in odx_demo_live odx_demo_hq odx_demo_bare; do
        psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx"
    done
    local as_odx=(env PGPASSWORD=odx psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U odx)
    for db in odx_demo_live odx_demo_hq; do
        { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer; } | "${as_odx[@]}" -d "$db"
    done
    { "${fixtures[@]}" schema
      echo "DROP TABLE app.organization_templates, app.ops_targets, app.user_organization_assignments,"
      echo "    app.organization_clinics, app.organizations;"; } | "${as_odx[@]}" -d odx_demo_bare
    psql_admin -d odx_test -c "ANALYZE"
    psql_admin -d odx_degraded -c "ANALYZE"
    echo "postgres://odx:odx@127.0.0.1:5432/odx_test"
}

for step in "$@"; do
    case "$step" in
        server | toolchain | extension) "$step" ;;
        databases) databases ;;
        *) echo "unknown step $step" >&2; exit 2 ;;
    esac
done
