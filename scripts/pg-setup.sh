#!/usr/bin/env bash
# PostgreSQL for the tests. Idempotent.
#   pg-setup.sh server     install PostgreSQL 15, PgBouncer and the build tools
#                          if missing, start the cluster (TLS on, with a
#                          certificate of a test CA) and PgBouncer in
#                          transaction mode on 6433, create the `odx` role
#   pg-setup.sh toolchain  install cargo-pgrx =0.18.1 if missing, pgrx init on
#                          the system pg_config
#   pg-setup.sh extension  build and install the odx extension into the server
#   pg-setup.sh databases  rebuild the test databases from the fixtures (with the
#                          extension); prints the test DATABASE_URL last (the
#                          odx_reader role: SELECT on schema app only)
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
        # The install may have upgraded postgresql-15 under a server already
        # running: its old binary cannot load the new libraries (plpgsql),
        # so a running cluster is restarted on the new one.
        if pg_ctlcluster 15 main status >/dev/null 2>&1; then
            pg_ctlcluster 15 main restart
        fi
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
    -- odx owns the test databases and their tables (it loads the fixtures,
    -- runs pg_regress and the tools that write): no superuser.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx') THEN
        CREATE ROLE odx LOGIN NOSUPERUSER CREATEDB PASSWORD 'odx';
    END IF;
    ALTER ROLE odx NOSUPERUSER CREATEDB;
    -- odx_reader is what the suites read as: SELECT on schema app only.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx_reader') THEN
        CREATE ROLE odx_reader LOGIN NOSUPERUSER PASSWORD 'odx_reader';
    END IF;
    -- odx_limited reads every table of app but payroll (a permission error
    -- must be one, not a degraded report); odx may SET ROLE to it.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx_limited') THEN
        CREATE ROLE odx_limited LOGIN NOSUPERUSER PASSWORD 'odx_limited';
    END IF;
    GRANT odx_limited, odx_reader TO odx;
    -- odx_admin: only for the one regression test that drops and creates
    -- the extension (an untrusted extension needs a superuser to install).
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx_admin') THEN
        CREATE ROLE odx_admin LOGIN SUPERUSER PASSWORD 'odx_admin';
    END IF;
END $$;
SQL
    tls
    pooler
}

# TLS with a certificate of our own CA (for sslmode=verify-full): the CA,
# a server certificate for the host name localhost only (so verify-full on
# 127.0.0.1 is a name mismatch, verify-ca is not) that the cluster serves,
# and a second CA that signed nothing (a verification that must fail).
TLS_DIR=/var/lib/postgresql/odx-tls
tls() {
    if [ ! -s "$TLS_DIR/localhost.crt" ] || [ ! -s "$TLS_DIR/other-ca.crt" ]; then
        echo "making a test CA and the server's certificate in $TLS_DIR"
        install -d -m 755 -o postgres -g postgres "$TLS_DIR"
        local t
        t=$(mktemp -d)
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=odx test CA" \
            -keyout "$t/ca.key" -out "$t/ca.crt" 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=odx other CA" \
            -keyout "$t/other-ca.key" -out "$t/other-ca.crt" 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
        printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$t/ext.cnf"
        openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 3650 \
            -extfile "$t/ext.cnf" -out "$t/localhost.crt" 2>/dev/null
        install -m 644 -o postgres -g postgres "$t/ca.crt" "$t/other-ca.crt" "$t/localhost.crt" "$TLS_DIR/"
        install -m 600 -o postgres -g postgres "$t/server.key" "$TLS_DIR/localhost.key"
        rm -rf "$t"
    fi
    local current
    current=$(psql_admin -At -d postgres -c "SHOW ssl_cert_file")
    if [ "$current" != "$TLS_DIR/localhost.crt" ]; then
        psql_admin -d postgres -c "ALTER SYSTEM SET ssl = on" \
            -c "ALTER SYSTEM SET ssl_cert_file = '$TLS_DIR/localhost.crt'" \
            -c "ALTER SYSTEM SET ssl_key_file = '$TLS_DIR/localhost.key'" -c "SELECT pg_reload_conf()" >/dev/null
        sleep 1
    fi
}

# PgBouncer in transaction mode (what Neon's -pooler endpoints run) on port
# 6433, in front of the cluster, for the odx roles.
POOLER_PORT=6433
pooler() {
    if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then
        echo "installing pgbouncer"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer
    fi
    local conf=/etc/pgbouncer/odx-test.ini
    cat > "$conf.new" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $POOLER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = /etc/pgbouncer/odx-test-users.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 8
logfile = /var/log/postgresql/odx-pgbouncer.log
pidfile = /var/run/postgresql/odx-pgbouncer.pid
INI
    printf '"odx" "odx"\n"odx_reader" "odx_reader"\n' > /etc/pgbouncer/odx-test-users.txt
    chown postgres:postgres "$conf.new" /etc/pgbouncer/odx-test-users.txt
    chmod 640 /etc/pgbouncer/odx-test-users.txt
    mv "$conf.new" "$conf"
    if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$POOLER_PORT"; then
        install -d -m 2775 -o postgres -g postgres /var/run/postgresql
        runuser -u postgres -- /usr/sbin/pgbouncer -d -q "$conf"
        for _ in $(seq 1 30); do
            "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$POOLER_PORT" && break
            sleep 0.5
        done
    fi
    "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$POOLER_PORT"
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
    local as_odx=(env PGPASSWORD=odx psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U odx)
    for db in odx_test odx_degraded odx_no_org odx_no_payroll; do
        psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx"
    done
    # Loaded by odx (the tables are its own), the extension created by the
    # superuser, then SELECT on app for odx_reader (and all but payroll for
    # odx_limited).
    # odx_test has the indexes odx documents (sql/sql/indexes.sql), as a
    # clinic application's database would; the others primary keys only, so
    # the suites read through both kinds of plan.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer; "${fixtures[@]}" demo; cat sql/sql/indexes.sql; } \
        | "${as_odx[@]}" -d odx_test
    # A database missing two tables and one column, for degraded mode.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.lab_cases, app.payroll; ALTER TABLE app.appointments DROP COLUMN room_id;"; } \
        | "${as_odx[@]}" -d odx_degraded
    # A clinic database without the org layer (no organizations, assignments
    # or targets): the domains work, the console read-outs are degraded.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.organization_templates, app.ops_targets, app.user_organization_assignments,"
      echo "    app.organization_clinics, app.organizations;"; } | "${as_odx[@]}" -d odx_no_org
    # A database without payroll: the console hides net profit and the
    # expense ratio only.
    { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer
      echo "DROP TABLE app.payroll;"; } | "${as_odx[@]}" -d odx_no_payroll
    for db in odx_test odx_degraded odx_no_org odx_no_payroll; do
        psql_admin -d "$db" -c "CREATE EXTENSION odx"
        "${as_odx[@]}" -d "$db" -c "GRANT USAGE ON SCHEMA app TO odx_reader, odx_limited" \
            -c "GRANT SELECT ON ALL TABLES IN SCHEMA app TO odx_reader, odx_limited"
    done
    "${as_odx[@]}" -d odx_test -c "REVOKE SELECT ON app.payroll FROM odx_limited"
    # odx may read its own backend's memory contexts in odx_test, as the test
    # that a table function hands over its rows in one call does
    # (pg_ext/test/sql/one_call.sql).
    psql_admin -d odx_test -c "GRANT SELECT ON pg_catalog.pg_backend_memory_contexts TO odx" \
        -c "GRANT EXECUTE ON FUNCTION pg_catalog.pg_get_backend_memory_contexts() TO odx"
    # Clinic databases the demo seed and teardown are tried on, owned and
    # loaded by odx (the role a tool writing to a live database runs as): two
    # with the known-answer tenant, one whose org-layer tables are missing.
    for db in odx_demo_live odx_demo_hq odx_demo_bare; do
        psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx"
    done
    for db in odx_demo_live odx_demo_hq; do
        { "${fixtures[@]}" schema; "${fixtures[@]}" known-answer; } | "${as_odx[@]}" -d "$db"
    done
    { "${fixtures[@]}" schema
      echo "DROP TABLE app.organization_templates, app.ops_targets, app.user_organization_assignments,"
      echo "    app.organization_clinics, app.organizations;"; } | "${as_odx[@]}" -d odx_demo_bare
    psql_admin -d odx_test -c "ANALYZE"
    psql_admin -d odx_degraded -c "ANALYZE"
    # The suites read as odx_reader (SELECT on app only); what writes
    # (the snapshot test's invoice, the demo tools, PUT /targets) uses odx,
    # the owner, through ODX_WRITER_URL or by name.
    echo "postgres://odx_reader:odx_reader@127.0.0.1:5432/odx_test"
}

for step in "$@"; do
    case "$step" in
        server | toolchain | extension | tls | pooler) "$step" ;;
        databases) databases ;;
        *) echo "unknown step $step" >&2; exit 2 ;;
    esac
done
