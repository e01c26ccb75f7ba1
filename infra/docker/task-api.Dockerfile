# syntax=docker/dockerfile:1
# task-api image, built from the repository root:
#   docker build -f infra/docker/task-api.Dockerfile -t todo/task-api:$(git rev-parse --short HEAD) .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN npm install --global --no-fund --no-audit pnpm@12.4.2
WORKDIR /repo
# Manifests first, so the dependency layer is cached until they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc turbo.json tsconfig.base.json ./
COPY infra/pnpm-patches ./infra/pnpm-patches
COPY packages ./packages
COPY services ./services
COPY infra/docker/build-bundle.sh ./infra/docker/build-bundle.sh
RUN pnpm install --frozen-lockfile
RUN bash infra/docker/build-bundle.sh task-api /bundle

FROM ${NODE_IMAGE} AS runtime
# tini reaps zombies and forwards SIGTERM, so the service's graceful shutdown runs.
RUN apt-get update && apt-get install --yes --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /bundle ./
USER node
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
