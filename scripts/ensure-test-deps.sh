#!/usr/bin/env bash
# Installs what `npm test` needs beyond node_modules, on a fresh Debian machine:
#   - Debian's Chromium, which Playwright drives for the e2e tests (never a downloaded browser);
#   - Debian's PyTorch, nibabel, numpy and pytest, for the trainer's tests (`training/tests`).
# Idempotent: does nothing when everything is present. As root it uses apt-get; otherwise it
# prints the one command to run and stops, because installing needs root.
# Set ATTUNE_SKIP_DEPS=1 to skip the check (e.g. a machine laid out differently on purpose).
set -euo pipefail

if [ "${ATTUNE_SKIP_DEPS:-}" = "1" ]; then
  exit 0
fi

missing=()
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "ensure-test-deps: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
    exit 1
  fi
  missing+=(chromium)
fi
# The trainer's tests run with Debian's interpreter and packages, not whatever python3 is first
# on PATH (pyenv shims, virtualenvs): that is what `npm run test:py` calls.
for pkg in python3-torch python3-nibabel python3-numpy python3-pytest; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  {
    echo "ensure-test-deps: the tests need Debian packages that are not installed: ${missing[*]}"
    echo "Install them once (as root), then run the tests again:"
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  } >&2
  exit 1
fi

echo "ensure-test-deps: installing ${missing[*]} with apt-get (once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
