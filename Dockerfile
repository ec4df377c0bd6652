# Two products from one Dockerfile:
# - the companion API on the official Node image (the last, default stage): build the bundle with the
#   full toolchain, then ship only the bundle, the runtime dependencies and the catalog;
# - the Grafana plugin (`--target plugin`): the frontend built with webpack and the datasource's Go
#   backend built in a Go stage for linux/amd64 and linux/arm64, so `docker compose up` needs neither
#   Node nor Go on the host (compose's opsdeck-plugin service copies it into ./dist for Grafana).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-api.mjs --force

# The datasource's backend executables. The name is src/datasource/plugin.json's `executable` plus
# _<os>_<arch> (tests/integration/compose.test.ts checks the two agree).
FROM golang:1.26-bookworm AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY pkg ./pkg
RUN for arch in amd64 arm64; do \
      CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -ldflags '-s -w' \
        -o /out/gpx_opsdeck_ops_datasource_linux_$arch ./pkg || exit 1; \
    done

FROM build AS plugin-build
RUN npm run build:plugin
COPY --from=backend /out/ ./dist/datasource/

# The built plugin; run, it copies itself into /dist (compose mounts ./dist there).
FROM busybox:stable AS plugin
COPY --from=plugin-build /src/dist /plugin
CMD ["sh", "-c", "cp -a /plugin/. /dist/"]

FROM node:20-bookworm-slim
ENV NODE_ENV=production OPSDECK_HOST=0.0.0.0 OPSDECK_CATALOG_DIR=/app/catalog
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/build ./build
COPY bin ./bin
COPY catalog ./catalog
COPY alerts ./alerts
COPY provisioning/alerting ./provisioning/alerting
USER node
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:8787/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/opsdeck.js", "serve"]
