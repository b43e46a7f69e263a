# One image for every process of the platform: the services (`npx shimeji run services/<svc>/src/service.ts
# --config apps/platform/config.yaml`), the Stripe emulator (`npx stripe-emulator`) and, once they
# exist, the facades. TypeScript runs through tsx, without a build step, as with npm start.
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
ENV NODE_ENV=production LOG_LEVEL=info
USER node
CMD ["npx", "shimeji", "--help"]
