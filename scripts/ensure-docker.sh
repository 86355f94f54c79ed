#!/usr/bin/env bash
# Makes sure a Docker engine answers on the default socket.
# When none answers and we run as root, installs Debian's docker.io and starts
# dockerd; otherwise says exactly what is missing and exits non-zero.
# As root it also installs btrfs-progs and xfsprogs when missing: the storage
# limit test formats loop files with them for engines of its own.
set -euo pipefail

log() { printf 'ensure-docker: %s\n' "$*" >&2; }

engine_answers() { docker info >/dev/null 2>&1; }

if [ "$(id -u)" = 0 ] && ! { command -v mkfs.btrfs && command -v mkfs.xfs; } >/dev/null 2>&1; then
  log "installing Debian's btrfs-progs and xfsprogs (test/docker/storage-limit.test.ts)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends btrfs-progs xfsprogs >/dev/null
fi

if command -v docker >/dev/null 2>&1 && engine_answers; then
  log "engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "no Docker engine answers on ${DOCKER_HOST:-unix:///var/run/docker.sock}."
  log "start one (e.g. 'sudo systemctl start docker'), add yourself to the docker group, or set DOCKER_HOST."
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables busybox-static >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p /var/log
  nohup dockerd >/var/log/berth-dockerd.log 2>&1 &
fi

for _ in $(seq 1 120); do
  if engine_answers; then
    log "engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
    exit 0
  fi
  sleep 0.5
done
log "dockerd did not answer within 60 s; its log:"
tail -n 30 /var/log/berth-dockerd.log >&2 || true
exit 1
