# One image recipe for both services: docker build --build-arg SERVICE=bank|retirement .
# The base images are build arguments so a test (e2e/compose) can substitute locally built ones:
#   NODE_IMAGE   runs the service (Node.js 24 LTS, slim)
#   BUILD_IMAGE  installs and compiles (defaults to NODE_IMAGE; gets python3, make, g++ if it lacks them)
# Stages: manifests -> build (tsc, all dev dependencies, no install scripts)
#                   -> native (better-sqlite3 compiled once, shared by both services' builds)
#                   -> deps (one service's production dependencies) -> the runtime image.
ARG NODE_VERSION=24.22.3
ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim
ARG BUILD_IMAGE=${NODE_IMAGE}

# Every package.json and the lockfile, and nothing else: the `npm ci` layers re-run only when they change.
FROM ${BUILD_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print0 \
    | tar --null -cf - -T - | tar -xf - -C /manifests

FROM ${BUILD_IMAGE} AS toolchain
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*; \
    fi
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
WORKDIR /app
COPY --from=manifests /manifests ./

# Compiles the TypeScript. tsc needs only JavaScript packages, so no install script runs here.
FROM toolchain AS build
RUN npm ci --ignore-scripts
COPY . .
# /out: each package's compiled JavaScript (no declarations, source maps or build info), and the
# bank's templates and stylesheet.
RUN npx tsc -b services/bank services/retirement \
 && for dir in packages/* services/*; do \
      mkdir -p "/out/$dir" && cp -r "$dir/dist" "/out/$dir/"; \
      for extra in views public; do if [ -d "$dir/$extra" ]; then cp -r "$dir/$extra" "/out/$dir/"; fi; done; \
    done \
 && find /out -type f \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' -o -name '.tsbuildinfo' \) -delete

# The one native module, in one place: better-sqlite3, compiled from its bundled SQLite against
# the image's own Node.js headers (node-gyp's --nodedir: no header or prebuilt-binary download,
# and no npm config that npm 12 drops). Only the .node file is kept: no objects, no C sources.
# Without a native module (node:sqlite), this stage and its COPY below go.
FROM toolchain AS native
RUN npm ci --omit=dev --ignore-scripts -w services/bank -w services/retirement \
 && cd node_modules/better-sqlite3 \
 && node "$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild --release --nodedir=/usr/local \
 && mv build/Release/better_sqlite3.node /tmp/ && rm -rf build deps src \
 && mkdir -p build/Release && mv /tmp/better_sqlite3.node build/Release/

# One service's production dependencies, without what only the compiler or an editor reads.
FROM toolchain AS deps
ARG SERVICE
RUN test "$SERVICE" = bank || test "$SERVICE" = retirement || { echo "--build-arg SERVICE=bank|retirement" >&2; exit 1; }
RUN npm ci --omit=dev --ignore-scripts -w services/${SERVICE} \
 && rm -rf e2e bench $(for other in bank retirement; do [ "$other" = "$SERVICE" ] || echo "services/$other"; done) \
 && find node_modules/@nestegg -xtype l -delete \
 && rm -rf package-lock.json node_modules/better-sqlite3 \
 && find . -path '*/node_modules/*' -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
      -o -name '*.md' -o -name '*.markdown' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \) -delete
COPY --from=native /app/node_modules/better-sqlite3 node_modules/better-sqlite3

# Compiled JavaScript and production dependencies only, owned by root and run by the user node.
FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
# The manifests and production node_modules (a service may have its own, nested), then the JavaScript.
COPY --from=deps /app ./
COPY --from=build /out/packages packages
COPY --from=build /out/services/${SERVICE} services/${SERVICE}
RUN mkdir -p services/${SERVICE}/data && chown node:node services/${SERVICE}/data
WORKDIR /app/services/${SERVICE}
USER node
# /readyz answers 200 once the service listens and its database answers. A minute's start period
# and a 10 s timeout: copies starting together on a busy machine wait for each other's migrations,
# and a failed check during the start period does not count (the first success still counts at once).
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
