# One image recipe for both services: --build-arg SERVICE=bank|retirement.
# NODE_IMAGE is a build argument so a test can substitute a locally built base image.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN if command -v apt-get >/dev/null && ! command -v g++ >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*; \
    fi
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/shared-auth/package.json packages/shared-auth/
COPY packages/platform/package.json packages/platform/
COPY services/bank/package.json services/bank/
COPY services/retirement/package.json services/retirement/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY packages packages
COPY services services
RUN npx tsc -b && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production HOST=0.0.0.0 SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/packages/shared-auth/package.json packages/shared-auth/
COPY --from=build --chown=node:node /app/packages/shared-auth/dist packages/shared-auth/dist
COPY --from=build --chown=node:node /app/packages/platform/package.json packages/platform/
COPY --from=build --chown=node:node /app/packages/platform/dist packages/platform/dist
COPY --from=build --chown=node:node /app/services/${SERVICE}/package.json services/${SERVICE}/
COPY --from=build --chown=node:node /app/services/${SERVICE}/dist services/${SERVICE}/dist
RUN mkdir -p services/${SERVICE}/data && chown node:node services/${SERVICE}/data
USER node
WORKDIR /app/services/${SERVICE}
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
