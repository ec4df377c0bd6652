# The companion API on the official Node image: build the bundle with the full toolchain, then ship
# only the bundle, the runtime dependencies and the catalog.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-api.mjs --force

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
