#!/usr/bin/env bash
# Builds the example and test images locally, with no registry: a root file
# system holding Debian's static busybox (sh, sleep, httpd, nc, wget, ...) is
# imported with `docker import`. Idempotent: an image that exists is kept.
#
#   berth/busybox:1   shell and tools; no default command
#   berth/httpd:1     busybox httpd serving /www on port 8080; exits on SIGTERM
#   berth/pause:1     sleeps until SIGTERM: holds a task's shared network, PID and IPC
#                     namespaces (awsvpc, pidMode/ipcMode task); the controller's --pause-image
set -euo pipefail

log() { printf 'build-images: %s\n' "$*" >&2; }

busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  busybox=/bin/busybox
fi
if [ ! -x "$busybox" ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian's busybox-static"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq busybox-static >/dev/null
  else
    log "busybox-static is missing: apt-get install busybox-static"; exit 1
  fi
fi

# The recipe's hash is stored as a label, so an image built by an older recipe is rebuilt.
recipe=$(sha256sum "$0" | cut -c1-16)
have() { [ "$(docker image inspect --format '{{index .Config.Labels "berth.recipe"}}' "$1" 2>/dev/null)" = "$recipe" ]; }

if have berth/busybox:1 && have berth/httpd:1 && have berth/pause:1 && [ "${1:-}" != "--force" ]; then
  log "images present"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,www,proc,sys,dev,root}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf '<h1>berth</h1>\n' >"$root/www/index.html"
printf 'ok\n' >"$root/www/health"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change "LABEL berth.recipe=$recipe" \
  --change 'CMD ["sh"]' \
  - berth/busybox:1 >/dev/null
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change "LABEL berth.recipe=$recipe" \
  --change 'EXPOSE 8080' \
  --change 'CMD ["sh", "-c", "httpd -f -p 8080 -h /www & pid=$!; trap \"kill $pid; exit 0\" TERM INT; wait $pid"]' \
  - berth/httpd:1 >/dev/null
# PID 1 ignores signals it has no handler for, so the shell traps TERM and exits at once.
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change "LABEL berth.recipe=$recipe" \
  --change 'CMD ["sh", "-c", "trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]' \
  - berth/pause:1 >/dev/null
log "built berth/busybox:1, berth/httpd:1 and berth/pause:1"
