#!/usr/bin/env bash
# The one test command: prepares a fresh Debian 12 machine (as root or as a user with sudo)
# and runs the whole test suite. Results and artefacts land in artifacts/.
#
#   bash build/test.sh [extra dotnet test arguments, e.g. --filter Category=Fast]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

log() { printf '==> %s\n' "$*"; }

# --- system packages --------------------------------------------------------------------------
# Debian packages the tests need. Browser tests drive /usr/bin/chromium; DejaVu gives them
# deterministic fonts.
# freeradius, freeradius-rest and freeradius-utils (radclient) run the RADIUS tests against a real
# FreeRADIUS; the tests start private instances on free loopback ports, beside any packaged service.
apt_packages=(chromium fonts-dejavu-core freeradius freeradius-rest freeradius-utils)

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
    # CI has no stdin: never wait for a password prompt there.
    if [[ "${CI:-}" == "true" ]]; then as_root=(sudo -n); fi
else
    as_root=()
fi

missing=()
for pkg in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 && ${#as_root[@]} -eq 0 ]]; then
        echo "error: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
        exit 1
    fi
    log "Installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
    log "System packages present: ${apt_packages[*]}"
fi

if [[ ! -x /usr/bin/chromium ]]; then
    echo "error: /usr/bin/chromium is missing after installing chromium" >&2
    exit 1
fi

# --- PostgreSQL 15 (preinstalled; tests start a private server with initdb/pg_ctl) ------------
if ! command -v initdb >/dev/null 2>&1; then
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        export PATH="/usr/lib/postgresql/15/bin:$PATH"
    else
        echo "error: initdb not found on PATH or in /usr/lib/postgresql/15/bin (install postgresql-15)" >&2
        exit 1
    fi
fi
log "PostgreSQL: $(command -v initdb) ($(initdb --version))"

# --- .NET -------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log ".NET SDK: $(dotnet --version)"

artifacts="$repo_root/artifacts"
results="$artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
export KABINET_ARTIFACTS="$artifacts"   # tests may drop screenshots, logs, traces here

log "Running: dotnet test Kabinet.slnx -c Release"
started=$SECONDS
set +e
dotnet test Kabinet.slnx -c Release \
    --logger "console;verbosity=normal" \
    --logger "trx" \
    --results-directory "$results" \
    "$@"
status=$?
set -e
elapsed=$((SECONDS - started))

# One closing line that any CI reader understands: totals over every test assembly's TRX file.
totals=$(python3 - "$results" <<'PY' 2>/dev/null || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if counters is not None:
        total = int(counters.get("total", 0))
        p = int(counters.get("passed", 0))
        f = int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
        passed += p
        failed += f
        # xunit's skipped tests are counted in total but not executed.
        skipped += max(0, total - p - f)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
)
if [[ $status -eq 0 ]]; then
    echo "TEST SUMMARY: PASSED in ${elapsed}s (results in artifacts/test-results)"
else
    echo "TEST SUMMARY: FAILED with exit code $status after ${elapsed}s (results in artifacts/test-results)"
fi
if [[ -n "$totals" ]]; then
    echo "$totals"
fi
exit "$status"
