#!/usr/bin/env bash
# Usage: scripts/postgres.sh start|stop|env|bindir
# A private PostgreSQL server for the tests that need a real database
# (tests/testthat/helper-postgres.R); .ci/run starts it before the tests and
# stops it after them.
#   start   initdb into a fresh ${TMPDIR:-/tmp}/mleglm-pg-XXXXXX (trust
#           authentication, superuser mleglm, fsync off), serve it on
#           127.0.0.1 only, on the first free port from 55432 up (the unix
#           socket inside that directory), create the database mleglm_test
#           and write the settings to check/postgres.env
#           (MLEGLM_PG_ENV_FILE overrides the path):
#             MLEGLM_PG_HOST MLEGLM_PG_PORT MLEGLM_PG_USER MLEGLM_PG_DBNAME
#             MLEGLM_PG_DIR (the temporary directory, for `stop`)
#           As root, the server runs as the unprivileged postgres user (or
#           nobody), since PostgreSQL refuses to run as root. When no server
#           can be had (binaries missing, initdb or the start failing), it
#           says why, leaves nothing running and no settings file, and exits
#           0: the tests that need the server then skip.
#   stop    pg_ctl stop -m fast and remove the temporary directory and the
#           settings file; finds the server through the settings file or,
#           when that is gone (make check removes check/), MLEGLM_PG_DIR.
#   env     print the settings (KEY=VALUE lines); exit 1 when none.
#   bindir  print the directory of initdb/pg_ctl/postgres (MLEGLM_PG_BINDIR
#           chooses one); exit 1 when none.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
env_file=${MLEGLM_PG_ENV_FILE:-$root/check/postgres.env}
pg_user=mleglm
pg_dbname=mleglm_test
first_port=55432
last_port=55531
bindir=""
run_user=""
pg_dir=""
port=""

say() { echo "postgres: $*"; }

# MLEGLM_PG_BINDIR when set, else the newest /usr/lib/postgresql/<version>/bin
# holding the server programs (Debian's layout; its /usr/bin has only the
# clients), else the directory of an initdb on PATH.
pg_bindir() {
  local dir initdb
  if [ -n "${MLEGLM_PG_BINDIR:-}" ]; then
    dir=$MLEGLM_PG_BINDIR
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] || return 1
    echo "$dir"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  initdb=$(command -v initdb 2>/dev/null) || return 1
  dir=$(dirname "$(readlink -f "$initdb")")
  [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] || return 1
  echo "$dir"
}

# run_as USER COMMAND...: runs COMMAND as USER when we are root (from /, a
# directory any user may enter), else as ourselves.
run_as() {
  local user=$1
  shift
  if [ "$(id -u)" = 0 ] && [ "$user" != root ]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u "$user" -- "$@")
    else
      (cd / && su -s /bin/sh "$user" -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

# Whether something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The settings of the running server: the file, else the environment.
server_dir() {
  local dir=""
  if [ -f "$env_file" ]; then
    dir=$(sed -n 's/^MLEGLM_PG_DIR=//p' "$env_file" | tail -n 1)
  fi
  [ -n "$dir" ] || dir=${MLEGLM_PG_DIR:-}
  echo "$dir"
}

# stop_dir DIR: stops the server whose data live in DIR/data and removes DIR.
# Only a directory of ours (mleglm-pg-*, with our marker file) is touched.
stop_dir() {
  local dir=$1 bindir owner pid
  case "$(basename "$dir")" in
    mleglm-pg-*) ;;
    *) say "not stopping $dir: not a directory of scripts/postgres.sh"; return 1 ;;
  esac
  [ -d "$dir" ] || return 0
  [ -f "$dir/mleglm-pg" ] || { say "not removing $dir: no marker file"; return 1; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(cat "$dir/bindir" 2>/dev/null || pg_bindir)
    owner=$(stat -c %U "$dir/data")
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    run_as "$owner" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      run_as "$owner" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1
    # The postmaster we started, should both stops have failed
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
       [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$dir/data")" ]; then
      kill -KILL "$pid" 2>/dev/null
      sleep 1
    fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
       [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$dir/data")" ]; then
      say "could not stop the server (pid $pid) in $dir"
      return 1
    fi
    # Gone, not merely exited: until its parent (init) reaps it, the
    # postmaster still shows in the process list.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      [ -n "$pid" ] && [ -e "/proc/$pid" ] || break
      sleep 0.5
    done
  fi
  rm -rf "$dir"
}

cmd_stop() {
  local dir
  dir=$(server_dir)
  if [ -z "$dir" ]; then
    say "no server to stop"
    return 0
  fi
  stop_dir "$dir" || return 1
  if [ -f "$env_file" ] && grep -qxF "MLEGLM_PG_DIR=$dir" "$env_file"; then
    rm -f "$env_file"
  fi
  say "stopped; removed $dir"
}

# launch: the steps of `start` after the temporary directory $pg_dir is
# made; returns 1, having said why, when there is no usable server.
launch() {
  local log p tries ready=false i version
  log=$pg_dir/initdb.log
  if ! run_as "$run_user" "$bindir/initdb" -D "$pg_dir/data" -U "$pg_user" --auth=trust \
         --encoding=UTF8 --locale=C --no-sync > "$log" 2>&1; then
    say "initdb failed ($bindir/initdb as $run_user). Its last lines:"
    tail -n 10 "$log"
    return 1
  fi
  cat >> "$pg_dir/data/postgresql.conf" <<CONF

# scripts/postgres.sh: a private, disposable test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 20
shared_buffers = 32MB
CONF

  # The first port from 55432 up that nothing listens on; another program
  # may take it in between, so a failed bind moves on to the next one.
  port=""
  tries=0
  for p in $(seq "$first_port" "$last_port"); do
    port_in_use "$p" && continue
    tries=$((tries + 1))
    [ "$tries" -le 5 ] || break
    : > "$pg_dir/server.log"
    [ "$run_user" = "$(id -un)" ] || chown "$run_user" "$pg_dir/server.log"
    if run_as "$run_user" "$bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" \
         -o "-p $p" -w -t 30 start > "$pg_dir/pg_ctl.log" 2>&1; then
      port=$p
      break
    fi
    # A server still starting after the timeout is stopped before retrying.
    run_as "$run_user" "$bindir/pg_ctl" -D "$pg_dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1
    grep -q -i "could not bind\|address already in use" "$pg_dir/server.log" || break
  done
  if [ -z "$port" ]; then
    say "the server did not start. The last lines of its log:"
    tail -n 10 "$pg_dir/server.log" "$pg_dir/pg_ctl.log" 2>/dev/null
    return 1
  fi

  # Accepting connections (pg_ctl -w waited already; pg_isready confirms it
  # over TCP), then the test database.
  for i in $(seq 1 30); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres -t 2; then
      ready=true
      break
    fi
    sleep 1
  done
  if [ "$ready" != true ]; then
    say "the server on 127.0.0.1:$port does not accept connections. The last lines of its log:"
    tail -n 10 "$pg_dir/server.log"
    return 1
  fi
  if ! "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" "$pg_dbname" \
         > "$pg_dir/createdb.log" 2>&1; then
    say "createdb $pg_dbname failed:"
    cat "$pg_dir/createdb.log"
    return 1
  fi
  version=$("$bindir/postgres" --version 2>/dev/null)

  mkdir -p "$(dirname "$env_file")" || return 1
  cat > "$env_file.tmp" <<ENV || return 1
MLEGLM_PG_HOST=127.0.0.1
MLEGLM_PG_PORT=$port
MLEGLM_PG_USER=$pg_user
MLEGLM_PG_DBNAME=$pg_dbname
MLEGLM_PG_DIR=$pg_dir
ENV
  mv "$env_file.tmp" "$env_file" || return 1
  say "${version:-PostgreSQL} on 127.0.0.1:$port as $run_user, database $pg_dbname," \
      "user $pg_user (data in $pg_dir; settings in $env_file)"
}

cmd_start() {
  local base
  # A server left by an earlier start is stopped first: one at a time.
  if [ -f "$env_file" ]; then
    cmd_stop || { say "an earlier server could not be stopped; not starting another"; return 0; }
  fi
  rm -f "$env_file"

  if ! bindir=$(pg_bindir); then
    say "no PostgreSQL server (no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH;" \
        "scripts/install-deps.sh installs Debian's postgresql); the PostgreSQL tests will skip"
    return 0
  fi
  run_user=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    if id -u postgres >/dev/null 2>&1; then run_user=postgres; else run_user=nobody; fi
  fi

  # The directory must be the server user's and reachable by it, the socket
  # path in it short enough for a unix socket (107 bytes) and its name free
  # of blanks, for the settings file's unquoted lines: else /tmp.
  pg_dir=""
  for base in "${TMPDIR:-/tmp}" /tmp; do
    [ ${#base} -le 60 ] || continue
    case "$base" in *[[:space:]]*) continue ;; esac
    pg_dir=$(mktemp -d "$base/mleglm-pg-XXXXXX" 2>/dev/null) || { pg_dir=""; continue; }
    touch "$pg_dir/mleglm-pg"
    echo "$bindir" > "$pg_dir/bindir"
    mkdir "$pg_dir/socket"
    [ "$run_user" = "$(id -un)" ] || chown "$run_user" "$pg_dir" "$pg_dir/socket"
    if run_as "$run_user" test -w "$pg_dir" -a -w "$pg_dir/socket"; then break; fi
    rm -rf "$pg_dir"
    pg_dir=""
  done
  if [ -z "$pg_dir" ]; then
    say "no temporary directory that the user $run_user can write; the PostgreSQL tests will skip"
    return 0
  fi
  # Interrupted or failed, start leaves no server, directory or settings.
  trap 'stop_dir "$pg_dir" >/dev/null 2>&1; rm -f "$env_file" "$env_file.tmp"; exit 1' INT TERM HUP
  if ! launch; then
    stop_dir "$pg_dir" >/dev/null 2>&1
    rm -f "$env_file" "$env_file.tmp"
    say "no server; the PostgreSQL tests will skip"
  fi
  trap - INT TERM HUP
  return 0
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env)
    if [ -f "$env_file" ]; then cat "$env_file"; else say "no settings file $env_file" >&2; exit 1; fi ;;
  bindir) pg_bindir ;;
  *) echo "usage: $0 start|stop|env|bindir" >&2; exit 2 ;;
esac
