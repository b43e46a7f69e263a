# syntax=docker/dockerfile:1
# One image for every process of the platform: the services (`shimeji run services/<svc>/src/service.ts
# --config apps/platform/config.yaml`), the Stripe emulator (`stripe-emulator`) and the facades
# (`tsx apps/<name>/src/main.ts --config apps/platform/config.yaml`). TypeScript runs through tsx,
# without a build step, as with npm start: tsx is a production dependency (of libs/shimeji).
# The commands are the workspace's own bins, not `npx`: npm exec dies on SIGTERM without waiting
# for its child, which then never stops gracefully.
#
# Three stages: `manifests` keeps only the package.json files, the lock and the workspaces' bin
# scripts (npm links a bin only if its file is there), so the dependencies' layer is rebuilt only
# when they change; `deps` installs the production dependencies of
# apps/platform (which depends on every service, facade and the Stripe emulator), and `runtime`
# is that node_modules and the sources: no devDependencies, no npm cache, run as `node`.
# Base image and npm are pinned; a test (apps/platform/test/dockerfile.test.ts) checks all this.

FROM node:20.20.2-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './package.json' -exec cp --parents {} /manifests/ \; \
 && find . -path '*/bin/*' -type f -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /platform
RUN npm install -g npm@11.19.1 && npm cache clean --force
COPY --from=manifests /manifests ./
RUN npm ci --omit=dev --workspace @platform/platform --no-audit --no-fund \
 && npm cache clean --force

FROM node:20.20.2-bookworm-slim AS runtime
WORKDIR /platform
ENV NODE_ENV=production LOG_LEVEL=info PATH=/platform/node_modules/.bin:$PATH
# node_modules (the root's and the workspaces' own), then the sources (.dockerignore keeps out
# .git, node_modules, tests, bench, e2e and local data). Owned by root: the node user reads them
# and cannot change them.
COPY --from=deps /platform ./
COPY . .
USER node
CMD ["shimeji", "--help"]
