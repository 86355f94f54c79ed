# The berth controller as a container. It drives the Docker engine whose socket is
# mounted into it, and watches the manifests directory mounted at /manifests:
#
#   docker build -t berth .
#   docker run -d --name berth \
#     -v /var/run/docker.sock:/var/run/docker.sock \
#     -v "$PWD/manifests:/manifests" \
#     berth
#
# Status is written back into the mounted files; the state directory defaults to
# /manifests/.berth (mount another volume at /state and pass --state-dir /state to
# keep it apart).
#
# Mounting the Docker socket grants root on the host: whoever controls this container
# (or writes its manifests with a permissive Cluster policy) can start a privileged
# container that mounts /. The controller runs as the non-root user `berth`, which
# needs only the socket: give it the socket's group id at build time, e.g.
#
#   docker build --build-arg DOCKER_GID="$(stat -c %g /var/run/docker.sock)" -t berth .
#
# and make the manifests directory writable by uid 10001 (or run with
# --user "$(id -u):$(stat -c %g /var/run/docker.sock)").
#
# The base image is pinned by version tag. Pin it by digest too (node:20.19.5-bookworm-slim@sha256:...)
# where a registry is reachable to read the digest from: it could not be checked here.
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /berth
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY controller ./controller
COPY test ./test
COPY bench ./bench
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM ${NODE_IMAGE}
# The group id of /var/run/docker.sock on the host (often 999, or 998, 996...).
ARG DOCKER_GID=999
ARG BERTH_UID=10001
WORKDIR /berth
ENV NODE_ENV=production BERTH_LOG_FORMAT=json
COPY --from=build /berth/node_modules ./node_modules
COPY --from=build /berth/dist/controller ./dist/controller
COPY package.json ./
COPY bin ./bin
COPY manifests ./manifests
# A group with the socket's gid may exist in the image already; the user joins it either way.
RUN set -eu; \
    group="$(getent group "${DOCKER_GID}" | cut -d: -f1 || true)"; \
    if [ -z "$group" ]; then groupadd --gid "${DOCKER_GID}" docker; group=docker; fi; \
    useradd --uid "${BERTH_UID}" --gid "${group}" --no-create-home --home-dir /berth --shell /usr/sbin/nologin berth; \
    mkdir -p /manifests && chown berth /manifests
USER berth
VOLUME ["/manifests"]
ENTRYPOINT ["node", "/berth/bin/berth.js"]
CMD ["controller", "--manifests", "/manifests"]
