#!/usr/bin/env bash
# Install cosigner-sim into this example the way a user would, from the `npm pack` tarball of
# this checkout, then run the example's tests with the example's own vitest:
#
#   examples/express-handler/run.sh
#
# The example is copied to a temporary folder, so the checkout gets no node_modules or lockfile
# and two runs never share one. `npm install --prefer-offline` takes express, jose, vitest and
# cosigner-sim's dependencies from the npm cache when it has them, from the registry otherwise.
# CSIM_EXAMPLE_KEEP=1 keeps the temporary folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cosigner-sim-express-example.XXXXXX")"
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

echo "[example] installing $(basename "$tarball") into a copy of examples/express-handler"
tar -C "$here" --exclude=node_modules --exclude=package-lock.json -cf - . | tar -C "$work/app" -xf -
cd "$work/app"
# The tarball on the command line stands in for the devDependency "cosigner-sim" of package.json.
npm install --no-save --prefer-offline --no-audit --no-fund --loglevel=error "$tarball"

echo "[example] vitest run"
npx --no-install vitest run
