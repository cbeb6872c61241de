#!/usr/bin/env bash
# Install what Mizan needs on this machine: Debian packages (Tesseract with the
# English, Urdu and Sindhi language packs; Chromium with --with-browser), a
# Python 3.11+ virtual environment in .venv, and the project into it.
#
# Safe to run again: Debian packages already present are skipped, and the
# Python packages are reinstalled only when pyproject.toml changes (a stamp in
# .venv holds its hash). Where system packages cannot be installed (not root,
# or no apt-get) it prints the command to run and carries on: Mizan then
# reports OCR as unavailable rather than failing.
#
# Usage: scripts/bootstrap.sh [--with-browser]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    -h | --help)
      sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "bootstrap.sh: unknown option $arg (expected --with-browser)" >&2
      exit 2
      ;;
  esac
done

VENV=.venv
STAMP="$VENV/.mizan-install-stamp"
TORCH_PIN="torch==2.13.0" # a local CPU wheel; an unpinned torch pulls a multi-GB CUDA build
# Tests drive Debian's chromium; Playwright must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '==> %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }

is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

APT_UPDATED=0
apt_install() {
  # Install Debian packages when we can; otherwise say exactly how and return 1.
  local cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $*"
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    warn "No apt-get here. Install these with your package manager: $*"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    warn "Not root, so system packages were not installed. Run:"
    warn "  sudo apt-get update && sudo $cmd"
    return 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" || return 1
}

# --- System packages -----------------------------------------------------------
APT_PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-urd tesseract-ocr-snd)
# A Naskh face for the Urdu OCR benchmark (bench/bench_ocr_accuracy.py).
APT_PACKAGES+=(fonts-hosny-amiri)
# Latin faces for the PDFs Mizan writes (mizan/pdf.py; Amiri sets their Urdu).
APT_PACKAGES+=(fonts-dejavu-core)
if [ "$WITH_BROWSER" -eq 1 ]; then
  # `make test`: the browser tests drive chromium; the worker chaos tests run on a
  # private redis-server (tests/conftest.py starts it on a free port).
  APT_PACKAGES+=(chromium redis-server)
fi

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
else
  missing=("${APT_PACKAGES[@]}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  say "System packages present: ${APT_PACKAGES[*]}"
elif ! apt_install "${missing[@]}"; then
  if [ "${CI:-}" = "true" ]; then
    warn "CI needs these system packages; stopping."
    exit 1
  fi
  warn "Carrying on without: ${missing[*]}. Without Tesseract Mizan reports OCR as"
  warn "unavailable; without chromium or redis-server the browser or Redis tests are skipped."
fi

# --- Python 3.11+ --------------------------------------------------------------
python_ok() { # is "$1" a Python 3.11 or newer?
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  if command -v python3.11 >/dev/null 2>&1 && python_ok python3.11; then
    PYTHON=python3.11
  elif command -v python3 >/dev/null 2>&1 && python_ok python3; then
    PYTHON=python3
  else
    warn "Mizan needs Python 3.11 or newer (python3.11 or python3). On Debian 12:"
    warn "  apt-get install python3 python3-venv python3-pip"
    exit 1
  fi
elif ! python_ok "$PYTHON"; then
  warn "PYTHON=$PYTHON is not Python 3.11 or newer."
  exit 1
fi

# --- Virtual environment -------------------------------------------------------
if [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python" \
  && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  say "Reusing virtual environment $VENV ($("$VENV/bin/python" --version))"
else
  if [ -e "$VENV" ]; then
    say "Replacing the broken or too old virtual environment $VENV"
    rm -rf "$VENV"
  fi
  say "Creating virtual environment $VENV with $PYTHON ($("$PYTHON" --version))"
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian ships venv/ensurepip separately (python3.11-venv).
    rm -rf "$VENV"
    venv_pkg="python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
    apt_install "$venv_pkg" || {
      warn "Cannot create a virtual environment without $venv_pkg."
      exit 1
    }
    "$PYTHON" -m venv "$VENV"
  fi
fi

# --- Python packages -----------------------------------------------------------
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" = "$have" ] && [ -x "$VENV/bin/mizan" ] && [ -x "$VENV/bin/gunicorn" ]; then
  say "Python packages up to date (pyproject.toml unchanged)"
else
  rm -f "$STAMP"
  PIP=("$VENV/bin/python" -m pip install --progress-bar off --quiet)
  # torch first, pinned, so that nothing later makes pip resolve another build.
  say "pip install $TORCH_PIN"
  "${PIP[@]}" "$TORCH_PIN"
  say "pip install -e '.[dev]'"
  "${PIP[@]}" -e '.[dev]'
  echo "$want" >"$STAMP"
  say "Python packages installed"
fi
