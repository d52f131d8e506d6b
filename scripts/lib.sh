# Shared by scripts/test, scripts/demo and scripts/bench: start the database and build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*" >&2; }

setup_database() {
    step "database"
    "$ROOT/scripts/db" start
    eval "$("$ROOT/scripts/db" env)"
    export MUSTER_SCHEMA_DIR="$ROOT/schema"
}

require_swift() {
    command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH; install Swift 6 (https://swift.org/install)" >&2; exit 1; }
}

# Runs SQL as the admin user against the admin database (values are literals we control).
admin_psql() { psql -v ON_ERROR_STOP=1 -qAt -d postgres "$@"; }

# (Re)creates a database the scripts own, then migrates it with muster itself.
fresh_database() {
    local name="$1"
    admin_psql -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
}

database_url() {
    local name="$1"
    if [ -n "${PGHOST:-}" ]; then
        printf 'postgresql://%s@/%s?host=%s&port=%s' "${PGUSER:-postgres}" "$name" "$PGHOST" "${PGPORT:-5432}"
    else
        # MUSTER_DATABASE_URL names the server; swap its database.
        python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
            "$MUSTER_DATABASE_URL" "$name"
    fi
}
