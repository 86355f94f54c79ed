#!/usr/bin/env bash
# The test suite, as `npm test` runs it (after the build, the engine and the images).
# Test files run in parallel: each has its own cluster, manifests directory and
# controller. The files that start an extra engine of their own run after them, one
# at a time: restarting a dockerd that has address pools removes the default engine's
# docker0 for a moment (test/docker/engines.ts puts it back), and a file on the default
# bridge running meanwhile would see its containers fail to start. The task role file
# serves 169.254.170.2:80, one per host, and its tasks fetch credentials once at start:
# it runs alone too, so that a loaded machine does not make that one fetch miss.
set -euo pipefail
cd "$(dirname "$0")/.."

exclusive=(dist/test/docker/faults-engine.test.js dist/test/docker/storage-limit.test.js dist/test/docker/task-role.test.js)
parallel=()
for file in dist/test/unit/*.test.js dist/test/docker/*.test.js; do
  [[ " ${exclusive[*]} " == *" $file "* ]] || parallel+=("$file")
done

node --test --test-concurrency="${BERTH_TEST_CONCURRENCY:-2}" "${parallel[@]}"
node --test --test-concurrency=1 "${exclusive[@]}"
