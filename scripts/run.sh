#!/usr/bin/env bash
# Start Mizan from the virtual environment made by scripts/bootstrap.sh.
#
#   scripts/run.sh          init the data dir, seed the demo data, then run a
#                           Celery worker and the gunicorn web server together
#                           (Ctrl-C stops both)
#   scripts/run.sh web      init, then the web server only
#   scripts/run.sh worker   init, then a worker only
#
# Settings come from MIZAN_* variables and an optional .env file (see README).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODE="${1:-all}"
VENV=.venv

# Tesseract's OpenMP threads fight each other on small machines (15 s a page
# instead of 2 s); nothing may download model weights at run time.
export OMP_THREAD_LIMIT=1
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export PYTHONUNBUFFERED=1

say() { printf '==> %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }

case "$MODE" in
  all | web | worker) ;;
  *)
    warn "run.sh: unknown mode $MODE (expected: all, web or worker)"
    exit 2
    ;;
esac

if [ ! -x "$VENV/bin/mizan" ] || [ ! -x "$VENV/bin/gunicorn" ]; then
  warn "No Mizan installation in $VENV: run scripts/bootstrap.sh (or make run) first."
  exit 1
fi
MIZAN="$VENV/bin/mizan"

say "Initialising the data directory (mizan init)"
"$MIZAN" init

# The bind address, as the application reads it (environment over .env).
BIND="$("$VENV/bin/python" -c 'from mizan.settings import load_settings; print(load_settings().bind)')"
GUNICORN=(
  "$VENV/bin/gunicorn"
  --bind "$BIND"
  --workers 2
  --threads 4
  --timeout 120
  --access-logfile -
  web.wsgi:app
)

if [ "$MODE" = worker ]; then
  say "Starting a worker (mizan run-worker); Ctrl-C stops it"
  exec "$MIZAN" run-worker
fi
if [ "$MODE" = web ]; then
  say "Starting the web server on http://$BIND/ (worker not started: make worker)"
  exec "${GUNICORN[@]}"
fi

say "Adding the demo data (mizan seed-demo)"
SEED_OUT="$("$MIZAN" seed-demo)"
printf '%s\n' "$SEED_OUT"

# --- Worker and web server, stopped together -----------------------------------
WORKER_PID=""
WEB_PID=""

alive() { # is process $1 running (not gone, not a zombie)?
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

stop() { # stop process $1 (named $2): SIGTERM, wait, SIGKILL only if it hangs
  local pid="$1" name="$2" waited=0
  [ -n "$pid" ] || return 0
  while alive "$pid" && [ "$waited" -lt 240 ]; do # 2 minutes
    sleep 0.5
    waited=$((waited + 1))
  done
  if alive "$pid"; then
    warn "$name (pid $pid) did not stop in 2 minutes; killing it"
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  # Finish stopping even if another signal arrives (make passes its own on, and a
  # second Ctrl-C reaches the worker directly, which then stops at once).
  trap '' INT TERM
  if [ -n "$WEB_PID$WORKER_PID" ]; then
    say "Stopping the web server and the worker (the worker takes a few seconds)"
  fi
  # Ask both at once, then wait for each by its PID.
  [ -z "$WEB_PID" ] || kill -TERM "$WEB_PID" 2>/dev/null || true
  [ -z "$WORKER_PID" ] || kill -TERM "$WORKER_PID" 2>/dev/null || true
  stop "$WEB_PID" "web server"
  stop "$WORKER_PID" worker
  if [ -n "$WEB_PID$WORKER_PID" ]; then
    say "Stopped"
  fi
  WEB_PID=""
  WORKER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting a worker (mizan run-worker)"
"$MIZAN" run-worker &
WORKER_PID=$!

say "Starting the web server (gunicorn on $BIND)"
"${GUNICORN[@]}" &
WEB_PID=$!

# Tell the person where to go once the server accepts connections.
host="${BIND%:*}"
port="${BIND##*:}"
host="${host#[}"
host="${host%]}"
case "$host" in 0.0.0.0 | :: | "") probe=127.0.0.1 show=localhost ;; *) probe="$host" show="$host" ;; esac
case "$show" in *:*) show="[$show]" ;; esac
for _ in $(seq 1 120); do
  alive "$WEB_PID" || break
  if (exec 3<>"/dev/tcp/$probe/$port") 2>/dev/null; then
    password="$(printf '%s\n' "$SEED_OUT" | sed -n 's/.*password for all: \(.*\)):$/\1/p')"
    echo
    say "Mizan is running at http://$show:$port/"
    echo "    Sign in with a demo account${password:+ (password: $password)}:"
    printf '%s\n' "$SEED_OUT" | sed -n 's/^  /      /p'
    echo "    Press Ctrl-C to stop the web server and the worker."
    echo
    break
  fi
  sleep 0.5
done

# Run until either stops (or Ctrl-C); then stop the other.
status=0
wait -n "$WEB_PID" "$WORKER_PID" || status=$?
if ! alive "$WEB_PID"; then
  warn "The web server exited (status $status)."
else
  warn "The worker exited (status $status); stopping the web server too."
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
