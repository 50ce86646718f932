# One image recipe for both services: docker build --build-arg SERVICE=bank|retirement .
# The base images are build arguments so a test (e2e/compose) can substitute locally built ones:
#   NODE_IMAGE   runs the service (a current Node.js LTS, slim)
#   BUILD_IMAGE  installs and compiles (defaults to NODE_IMAGE; gets python3, make, g++ if it lacks them)
ARG NODE_VERSION=24.22.3
ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim
ARG BUILD_IMAGE=${NODE_IMAGE}

# Every package.json and the lockfile, and nothing else: `npm ci` below re-runs only when they change.
FROM ${BUILD_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print0 \
    | tar --null -cf - -T - | tar -xf - -C /manifests

FROM ${BUILD_IMAGE} AS build
# better-sqlite3 compiles from source against the image's own Node.js headers: no prebuilt binary
# and no header download from outside the npm registry.
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*; \
    fi
ENV npm_config_build_from_source=true npm_config_nodedir=/usr/local npm_config_update_notifier=false
WORKDIR /app
COPY --from=manifests /manifests ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b services/bank services/retirement \
 && npm prune --omit=dev --no-audit --no-fund \
 && mkdir -p services/bank/node_modules services/retirement/node_modules

# Compiled JavaScript and production dependencies only, owned by root and run by the user node.
FROM ${NODE_IMAGE}
ARG SERVICE
RUN test "$SERVICE" = bank || test "$SERVICE" = retirement || { echo "--build-arg SERVICE=bank|retirement" >&2; exit 1; }
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY --from=build /app/services/${SERVICE} services/${SERVICE}
RUN mkdir -p services/${SERVICE}/data && chown node:node services/${SERVICE}/data
WORKDIR /app/services/${SERVICE}
USER node
# /readyz answers 200 once the service listens and its database answers.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
