#!/usr/bin/env bash
# Install cosigner-sim into this example the way a user would, from the `npm pack` tarball of
# this checkout, then type-check and run the example's tests with the example's own vitest.
#
#   examples/vitest/run.sh                                      tests the reference handler
#   HANDLER_URL=https://127.0.0.1:8443/cb OPTION=4 KIT_DIR=kit examples/vitest/run.sh   your handler
#
# The example is copied to a temporary folder, so the checkout gets no node_modules or lockfile
# and two runs never share one. `npm install --prefer-offline` takes vitest, typescript and
# cosigner-sim's dependencies from the npm cache when it has them (the root `npm ci` fills it),
# and from the registry otherwise. CSIM_EXAMPLE_KEEP=1 keeps the temporary folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cosigner-sim-vitest-example.XXXXXX")"
if [[ "${CSIM_EXAMPLE_KEEP:-}" == "1" ]]; then
  echo "[example] keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi

echo "[example] packing $root"
mkdir -p "$work/pack" "$work/app"
# npm pack runs the package's `prepare` script (tsc -p tsconfig.build.json), so dist/ is fresh.
(cd "$root" && npm pack --pack-destination "$work/pack" --loglevel=warn >&2)
tarball="$(ls "$work"/pack/cosigner-sim-*.tgz)"

echo "[example] installing $(basename "$tarball") into a copy of examples/vitest"
tar -C "$here" --exclude=node_modules --exclude=package-lock.json -cf - . | tar -C "$work/app" -xf -
cd "$work/app"
npm install --no-save --prefer-offline --no-audit --no-fund --loglevel=error "$tarball"

echo "[example] tsc --noEmit (the tsconfig brings the matcher types with \"types\": [\"cosigner-sim/vitest\"])"
npx --no-install tsc --noEmit

echo "[example] vitest run"
npx --no-install vitest run
