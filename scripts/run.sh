#!/usr/bin/env bash
# Start Mizan from the virtual environment made by scripts/bootstrap.sh.
#
#   scripts/run.sh          init the data dir, seed the demo data, then run a
#                           Celery worker and the gunicorn web server together
#   scripts/run.sh web      init, then the web server only
#   scripts/run.sh worker   init, then a worker only
#
# Ctrl-C (or SIGTERM/SIGHUP to this script) stops what it started, each by its
# PID, and waits for it. Settings come from MIZAN_* variables and an optional
# .env file (see README.md).
# shellcheck disable=SC2317 # stop() and cleanup() run from traps
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
# A scanner's drop folder, if one is configured (MIZAN_DROP_DIR).
DROP_DIR="$("$VENV/bin/python" -c 'from mizan.settings import load_settings; print(load_settings().drop_dir or "")')"

SEED_OUT=""
if [ "$MODE" = all ]; then
  say "Adding the demo data (mizan seed-demo --province; the first time takes a minute)"
  SEED_OUT="$("$MIZAN" seed-demo --province)"
  printf '%s\n' "$SEED_OUT"
fi

# --- Start, and stop by PID ----------------------------------------------------
WORKER_PID=""
BULK_PID=""
WEB_PID=""
WATCH_PID=""
REMIND_PID=""

alive() { # is process $1 running (not gone, not a zombie)?
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

stop() { # wait for process $1 (named $2) to end; SIGKILL only if it hangs
  local pid="$1" name="$2" waited=0
  [ -n "$pid" ] || return 0
  while alive "$pid" && [ "$waited" -lt 240 ]; do # 2 minutes
    sleep 0.5
    waited=$((waited + 1))
  done
  if alive "$pid"; then
    warn "The $name (pid $pid) did not stop in 2 minutes; killing it."
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

STOPPING=0
cleanup() {
  # Runs once, and finishes even if more signals arrive (make passes its own on,
  # so a signal to the process group reaches this script twice).
  STOPPING=1
  trap '' HUP INT TERM
  [ -n "$WEB_PID$WORKER_PID$BULK_PID$WATCH_PID$REMIND_PID" ] || return 0
  say "Stopping${WEB_PID:+ the web server}${WEB_PID:+${WORKER_PID:+ and}}${WORKER_PID:+ the worker (it takes a few seconds)}"
  # Ask both at once (SIGTERM: finish current work, then exit), then wait for each.
  [ -z "$WEB_PID" ] || kill -TERM "$WEB_PID" 2>/dev/null || true
  [ -z "$WORKER_PID" ] || kill -TERM "$WORKER_PID" 2>/dev/null || true
  [ -z "$BULK_PID" ] || kill -TERM "$BULK_PID" 2>/dev/null || true
  [ -z "$WATCH_PID" ] || kill -TERM "$WATCH_PID" 2>/dev/null || true
  [ -z "$REMIND_PID" ] || kill -TERM "$REMIND_PID" 2>/dev/null || true
  stop "$WEB_PID" "web server"
  stop "$WORKER_PID" worker
  stop "$BULK_PID" "second worker"
  stop "$WATCH_PID" "drop-folder watcher"
  stop "$REMIND_PID" "reminder loop"
  REMIND_PID=""
  WEB_PID=""
  WORKER_PID=""
  BULK_PID=""
  WATCH_PID=""
  say "Stopped"
}
on_signal() {
  [ "$STOPPING" -eq 0 ] || return 0
  STOPPING=1
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# The worker and the web server each get a session of their own, so signals
# meant for this script's process group (Ctrl-C, kill -TERM -PGID) never reach
# their child processes directly: a Celery worker whose pool processes were
# signalled along with it was seen to hang on shutdown, and a gunicorn worker
# signalled twice to hang until its 30 s graceful timeout. Each is stopped only
# through its main PID, by cleanup above. (This script has no job control, so
# setsid execs in place and $! is the PID of the program itself.)
if [ "$MODE" != web ]; then
  # Two workers of one process each: one takes only interactive work (uploads, index
  # updates after an edit), the other takes everything, bulk imports included; so a
  # clerk's upload is read at once even while the demo library is being indexed.
  say "Starting the workers (mizan run-worker -Q interactive, and -Q all)"
  setsid "$MIZAN" run-worker -c 1 -Q interactive &
  WORKER_PID=$!
  setsid "$MIZAN" run-worker -c 1 -Q all &
  BULK_PID=$!
  # Deadline, hearing and training reminders (notifications), hourly; see casefiles/reminders.py
  # for why this is a plain command on a timer rather than Celery beat (training reminders:
  # learning/reminders.py, joined through Registry.reminders).
  say "Starting the reminder loop (mizan remind --every ${MIZAN_REMIND_EVERY:-3600})"
  setsid "$MIZAN" remind --every "${MIZAN_REMIND_EVERY:-3600}" &
  REMIND_PID=$!
fi

if [ "$MODE" != web ] && [ -n "$DROP_DIR" ]; then
  say "Watching the drop folder $DROP_DIR (mizan watch-drop)"
  setsid "$MIZAN" watch-drop &
  WATCH_PID=$!
fi

if [ "$MODE" != worker ]; then
  say "Starting the web server (gunicorn on $BIND)"
  setsid "$VENV/bin/gunicorn" --bind "$BIND" --workers 2 --threads 4 --timeout 120 \
    --access-logfile - app.wsgi:app &
  WEB_PID=$!

  # Tell the person where to go once the server accepts connections.
  host="${BIND%:*}"
  port="${BIND##*:}"
  host="${host#[}"
  host="${host%]}"
  case "$host" in
    0.0.0.0 | :: | "") probe=127.0.0.1 show=localhost ;;
    *) probe="$host" show="$host" ;;
  esac
  case "$show" in *:*) show="[$show]" ;; esac
  for _ in $(seq 1 120); do
    alive "$WEB_PID" || break
    if (exec 3<>"/dev/tcp/$probe/$port") 2>/dev/null; then
      echo
      say "Mizan is running at http://$show:$port/"
      if [ -n "$SEED_OUT" ]; then
        password="$(printf '%s\n' "$SEED_OUT" | sed -n 's/.*password for all: \(.*\)):$/\1/p')"
        echo "    Sign in with a demo account${password:+ (password: $password)}:"
        printf '%s\n' "$SEED_OUT" | sed -n 's/^  /      /p'
      fi
      [ -n "$WORKER_PID" ] || echo "    No worker here: uploads wait in the queue until one runs (make worker)."
      echo "    Press Ctrl-C to stop."
      echo
      break
    fi
    sleep 0.5
  done
fi

[ "$MODE" != worker ] || say "Worker running (pid $WORKER_PID); press Ctrl-C to stop it."

# Run until one of them exits (or a signal comes); then stop the other.
status=0
# shellcheck disable=SC2086 # one to four PIDs
wait -n $WEB_PID $WORKER_PID $BULK_PID $WATCH_PID || status=$?
if [ -n "$WEB_PID" ] && ! alive "$WEB_PID"; then
  warn "The web server exited (status $status)."
  WEB_PID=""
elif [ -n "$WATCH_PID" ] && ! alive "$WATCH_PID"; then
  warn "The drop-folder watcher exited (status $status)."
  WATCH_PID=""
  [ "$status" -ne 0 ] || status=1
elif [ -n "$BULK_PID" ] && ! alive "$BULK_PID"; then
  warn "The second worker exited (status $status)."
  BULK_PID=""
  [ "$status" -ne 0 ] || status=1
else
  warn "The worker exited (status $status)."
  WORKER_PID=""
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
