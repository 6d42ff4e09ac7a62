# Sourced by test.sh: start a throwaway PostgreSQL server on 127.0.0.1 for the test run and export
# its URL as WARMONITOR_TEST_POSTGRES_URL; stopped and deleted when test.sh exits. Debian's
# postgresql package is installed first when it is missing and this shell may install packages.
# Without a server the PostgreSQL tests skip, saying why (CI sets WARMONITOR_REQUIRE_POSTGRES=1,
# which makes them fail instead).
_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
_pg_start() {
  local bin dir port owner
  bin=$(_pg_bin)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-postgres: installing Debian's postgresql package" >&2
    (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) \
      || echo "test-postgres: could not install postgresql" >&2
    bin=$(_pg_bin)
  fi
  if [ -z "$bin" ]; then
    echo "test-postgres: no PostgreSQL server here; the PostgreSQL tests will skip" >&2
    return 0
  fi
  dir=$(mktemp -d /tmp/warmonitor-pg.XXXXXX)
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then owner=postgres; chown postgres "$dir"; fi
  _pg_as() { if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
  _pg_as "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
    || { echo "test-postgres: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 0; }
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if ! _pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
    echo "test-postgres: the server did not start:" >&2; cat "$dir/server.log" >&2; return 0
  fi
  export WARMONITOR_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  # The test run's exit status is kept whatever stopping the server says.
  # (written out now: the function's locals are gone when the trap runs)
  local as=""
  if [ "$owner" != "$(id -un)" ]; then as="runuser -u $owner --"; fi
  _WARMONITOR_PG_STOP="$as '$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1 || true; rm -rf '$dir' || true"
  trap '_status=$?; eval "$_WARMONITOR_PG_STOP"; exit $_status' EXIT
  echo "test-postgres: throwaway server on 127.0.0.1:$port" >&2
}
if [ -z "${WARMONITOR_TEST_POSTGRES_URL:-}" ]; then _pg_start; fi
