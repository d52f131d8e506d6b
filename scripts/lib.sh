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

# The web app on a database the scripts own: `muster serve` on loopback (no second factor for
# the demo users), keeping the read models current itself, in the background; sets WEB_URL,
# WEB_PIDS. Its log goes to .muster/.
start_web() {
    local bin="$1" url="$2" port="$3" name="$4"
    mkdir -p "$ROOT/.muster"
    "$bin/muster" serve --port "$port" --database-url "$url" --no-require-second-factor >"$ROOT/.muster/$name-server.log" 2>&1 &
    WEB_PIDS="$!"
    WEB_URL="http://127.0.0.1:$port"
    for _ in $(seq 1 150); do curl -fs "$WEB_URL/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "the server did not start; see .muster/$name-server.log" >&2
    return 1
}

# Demo passwords (demo and browser-test databases only): each user gets a one-time code from
# `muster user invite` (as the chief), and sets the password with it through the running
# server's POST /api/account/enroll, the way a person does on the sign-in page.
enroll_users() {
    local bin="$1" url="$2" web="$3" chief="$4" password="$5"
    shift 5
    local user code
    for user in "$@"; do
        code="$("$bin/muster" user invite "$user" --as "$chief" --json --database-url "$url" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')"
        python3 - "$web/api/account/enroll" "$user" "$code" "$password" <<'PY'
import json, sys, urllib.request
url, user, code, password = sys.argv[1:5]
request = urllib.request.Request(url, data=json.dumps({"user": user, "code": code, "password": password}).encode(), headers={"Content-Type": "application/json"})
urllib.request.urlopen(request).read()
PY
    done
}
