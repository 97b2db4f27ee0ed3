#!/usr/bin/env bash
# The one test command (README "Testes"): on a fresh Debian machine (root, npm registry and apt
# reachable) installs what is missing, then runs typecheck, lint, build, unit, integration, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v socat >/dev/null || need+=(socat)
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v strace >/dev/null || need+=(strace)
# A private CUPS scheduler (cupsd + lp/lpstat/lpadmin) prints spool: jobs in the tests.
{ command -v cupsd >/dev/null || [ -x /usr/sbin/cupsd ]; } && command -v lp >/dev/null || need+=(cups)
# ipptool (cups-ipp-utils, a dependency of cups) reads how a finished job ended: aborted or
# cancelled is not "printed".
command -v ipptool >/dev/null || need+=(cups-ipp-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing: ${need[*]} — install them with apt-get (root needed)." >&2
    exit 1
  fi
fi

# `npm ci`: the committed lock lists every platform's optional packages (rollup, esbuild),
# so the same lock installs on Windows, Linux and macOS, and a fresh machine never rewrites it.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# The official NF-e/CT-e schema packages are not part of the repository (users install them);
# tests read them from COMBOIO_SCHEMAS, by default the shared folder beside the checkout.
if [ -z "${COMBOIO_SCHEMAS:-}" ]; then
  if [ -d ../shared/schemas/nfe ]; then export COMBOIO_SCHEMAS="$(cd ../shared/schemas && pwd)"; fi
fi
if [ -z "${COMBOIO_SCHEMAS:-}" ] || [ ! -d "$COMBOIO_SCHEMAS/nfe" ]; then
  echo "Official schemas not found: set COMBOIO_SCHEMAS to the folder holding nfe/PL_009_V4 and nfe/PL_010_V1.30." >&2
  exit 1
fi
echo "==> schemas: $COMBOIO_SCHEMAS"

step() { echo; echo "==> $*"; "$@"; }
step npm run typecheck
step npm run lint
step npm run build
step npx vitest run --project unit
step npx vitest run --project integration
step npx vitest run --project e2e
echo; echo "==> all tests passed"
