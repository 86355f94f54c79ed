#!/usr/bin/env bash
# Starts the berth controller on a scratch copy of examples/quickstart, so the
# repository stays clean. Installs what is missing first: npm packages, the build,
# a Docker engine (as root), the local images.
#
#   bash scripts/quickstart.sh [DIR]     (default DIR: ./scratch/quickstart)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
bash scripts/ensure-docker.sh
bash scripts/build-images.sh

dir=${1:-scratch/quickstart}
if [ ! -d "$dir" ]; then
  mkdir -p "$dir"
  cp examples/quickstart/*.yaml "$dir/"
fi
echo "quickstart: manifests in $dir — edit them, then try: node bin/berth.js get services -m $dir" >&2
exec node bin/berth.js controller --manifests "$dir"
