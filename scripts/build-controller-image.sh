#!/usr/bin/env bash
# Builds the controller image `berth/controller:local` without any registry: the
# Dockerfile needs the node base image from a registry, so on machines without one
# this imports a root file system holding this machine's node binary (and the
# libraries it links), the built controller and its production dependencies.
#
#   npm run build && bash scripts/build-controller-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'build-controller-image: %s\n' "$*" >&2; }
[ -f dist/controller/cli/main.js ] || { log "run 'npm run build' first"; exit 1; }

node_bin=$(readlink -f "$(command -v node)")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/berth/dist" "$root/usr/bin" "$root/tmp" "$root/etc" "$root/manifests"
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/usr/bin/node"
for lib in $(ldd "$node_bin" | grep -oE '/[^ ]+\.so[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# A non-root user in the group of the Docker socket: `docker run --user berth ...` runs
# the controller without root in the container (the socket still grants root on the
# host). DOCKER_GID defaults to the group of this machine's socket.
docker_gid=${DOCKER_GID:-$(stat -c %g /var/run/docker.sock 2>/dev/null || echo 999)}
printf 'root:x:0:0:root:/root:/bin/sh\nberth:x:10001:%s:berth:/berth:/bin/false\n' "$docker_gid" >"$root/etc/passwd"
printf 'root:x:0:\ndocker:x:%s:berth\n' "$docker_gid" >"$root/etc/group"

cp -r package.json package-lock.json bin manifests "$root/berth/"
cp -r dist/controller "$root/berth/dist/controller"
(cd "$root/berth" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

tar -C "$root" -c . | docker import \
  --change 'ENV BERTH_LOG_FORMAT=json NODE_ENV=production' \
  --change 'WORKDIR /berth' \
  --change 'ENTRYPOINT ["/usr/bin/node", "/berth/bin/berth.js"]' \
  --change 'CMD ["controller", "--manifests", "/manifests"]' \
  - berth/controller:local >/dev/null
log "built berth/controller:local"
