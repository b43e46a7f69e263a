# One image for every process of the platform: the services (`shimeji run services/<svc>/src/service.ts
# --config apps/platform/config.yaml`), the Stripe emulator (`stripe-emulator`) and the facades
# (`tsx apps/<name>/src/main.ts --config apps/platform/config.yaml`). TypeScript runs through tsx,
# without a build step, as with npm start. The commands are the workspace's own bins, not `npx`:
# npm exec dies on SIGTERM without waiting for its child, which then never stops gracefully.
FROM node:20-slim
WORKDIR /platform
RUN npm install -g npm@11
# dependencies first, for the layer cache: the workspaces' package.json files and the lock
COPY package.json package-lock.json ./
COPY libs ./libs
COPY services ./services
COPY apps ./apps
COPY examples ./examples
COPY e2e ./e2e
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production LOG_LEVEL=info PATH=/platform/node_modules/.bin:$PATH
USER node
CMD ["shimeji", "--help"]
