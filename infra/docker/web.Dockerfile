# syntax=docker/dockerfile:1
# The web app's image: its static files (`vite build`) served by nginx as a non-root user, with the
# configuration in services/web/nginx.conf (caching headers, CSP, gzip, SPA fallback). Built from
# the repository root:
#   docker build -f infra/docker/web.Dockerfile --build-arg SERVICE=web --build-arg PORT=8080 -t todo/web:dev .
# A Dockerfile of its own because nothing of the Node services' runtime applies; the stages up to
# the build are theirs (infra/docker/Dockerfile): the same prune.sh, the install from the pruned
# manifests before the sources, then a build script. CI builds it beside them (.github/workflows/
# ci.yml, job `image`); infra/scripts/check-bundles.sh runs the same scripts without Docker and
# serves the result with the same nginx.conf.
ARG NODE_IMAGE=node:24-bookworm-slim
# nginx's stable branch (even minor), on Alpine, as an unprivileged user (uid 101) listening above
# 1024. Move to the next stable minor when it is released.
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.30-alpine-slim

# The pnpm version is written once, in package.json's packageManager. Only that line reaches the
# next stage, so editing package.json elsewhere does not reinstall pnpm.
FROM ${NODE_IMAGE} AS package-manager
COPY package.json /tmp/package.json
RUN node -p "require('/tmp/package.json').packageManager.split('@')[1]" > /pnpm-version

FROM ${NODE_IMAGE} AS pnpm
COPY --from=package-manager /pnpm-version /pnpm-version
RUN npm install --global --no-fund --no-audit "pnpm@$(cat /pnpm-version)"
WORKDIR /repo

# turbo prune keeps the app and the workspace packages it depends on (@todo/api-client, and through
# its dev dependencies task-api, whose OpenAPI document its types are generated from), split into
# out/json and out/full as for the services.
FROM pnpm AS prune
ARG SERVICE=web
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
  pnpm install --frozen-lockfile --filter=todo-platform && bash infra/docker/prune.sh "$SERVICE" /pruned

# Manifests first: this layer is reused until a dependency, the lockfile or a patch changes.
FROM pnpm AS deps
COPY --from=prune /pruned/json/ ./
RUN pnpm install --frozen-lockfile

# Then the sources: `vite build` into /static. The port the image exposes must be the one
# nginx.conf listens on.
FROM deps AS build
ARG SERVICE=web
ARG PORT=8080
COPY --from=prune /pruned/full/ ./
RUN bash infra/docker/build-static.sh "$SERVICE" /static && \
  if ! grep -Eq "^ *listen ${PORT};" "services/$SERVICE/nginx.conf"; then \
    echo "services/$SERVICE/nginx.conf does not listen on PORT=$PORT" >&2; exit 1; \
  fi

# Only the files and the configuration, both read-only for the server's user. nginx itself is the
# entrypoint (the base image's entrypoint scripts would rewrite a configuration this one replaces);
# nginx.conf keeps it in the foreground and writes only under /tmp.
FROM ${NGINX_IMAGE} AS runtime
ARG SERVICE=web
ARG PORT=8080
COPY --from=build /repo/services/${SERVICE}/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /static /srv/web
USER 101
EXPOSE ${PORT}
# SIGQUIT: nginx finishes the requests in flight before it exits.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["nginx"]
