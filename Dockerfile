# One image recipe for both services: docker build --build-arg SERVICE=bank|retirement .
# NODE_IMAGE (Node.js 24 LTS, slim) builds and runs; it is a build argument so that a test
# (e2e/compose) can substitute a locally built one.
# Stages: manifests -> build (tsc, with every dev dependency)
#                   -> deps (one service's production dependencies) -> the runtime image.
# No native module is compiled: SQLite is Node's built-in node:sqlite, and no production
# dependency has an install script, so no stage needs python3, make or g++. A native module would
# need a compiler stage of its own, run with node-gyp's --nodedir (not npm_config_nodedir, which
# npm 12 drops).
ARG NODE_VERSION=24.22.3
ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim

# Every package.json and the lockfile, and nothing else: the `npm ci` layers re-run only when they change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print0 \
    | tar --null -cf - -T - | tar -xf - -C /manifests

FROM ${NODE_IMAGE} AS workspace
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
WORKDIR /app
COPY --from=manifests /manifests ./

# Compiles the TypeScript. --ignore-scripts: the one dev dependency whose install script matters
# is `node` (Node 24 for machines that lack it), and this image has Node 24 already; so tsc runs on
# the image's node, not through node_modules/.bin.
FROM workspace AS build
RUN npm ci --ignore-scripts
COPY . .
# /out: each package's compiled JavaScript (no declarations, source maps or build info), and its
# page templates and stylesheets (views/, public/: web-kit, bank, retirement).
RUN node node_modules/typescript/bin/tsc -b services/bank services/retirement \
 && for dir in packages/* services/*; do \
      mkdir -p "/out/$dir" && cp -r "$dir/dist" "/out/$dir/"; \
      for extra in views public; do if [ -d "$dir/$extra" ]; then cp -r "$dir/$extra" "/out/$dir/"; fi; done; \
    done \
 && find /out -type f \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' -o -name '.tsbuildinfo' \) -delete

# One service's production dependencies (nothing from e2e, bench or the other service), without
# what only a compiler or an editor reads.
FROM workspace AS deps
ARG SERVICE
RUN test "$SERVICE" = bank || test "$SERVICE" = retirement || { echo "--build-arg SERVICE=bank|retirement" >&2; exit 1; }
RUN npm ci --omit=dev --ignore-scripts -w services/${SERVICE} \
 && rm -rf package-lock.json e2e bench $(for other in bank retirement; do [ "$other" = "$SERVICE" ] || echo "services/$other"; done) \
 && find node_modules/@nestegg -xtype l -delete \
 && find . -path '*/node_modules/*' -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
      -o -name '*.md' -o -name '*.markdown' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \) -delete

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
