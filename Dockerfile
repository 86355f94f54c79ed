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
FROM node:20-bookworm-slim AS build
WORKDIR /berth
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY controller ./controller
COPY test ./test
COPY bench ./bench
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /berth
ENV NODE_ENV=production BERTH_LOG_FORMAT=json
COPY --from=build /berth/node_modules ./node_modules
COPY --from=build /berth/dist/controller ./dist/controller
COPY package.json ./
COPY bin ./bin
COPY manifests ./manifests
VOLUME ["/manifests"]
ENTRYPOINT ["node", "/berth/bin/berth.js"]
CMD ["controller", "--manifests", "/manifests"]
