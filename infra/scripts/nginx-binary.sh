#!/usr/bin/env bash
# Prints the path of an nginx binary for check-bundles.sh to serve the web app's files with, as the
# image does: $NGINX if set, else one on this machine, else Debian's `nginx` package unpacked into
# the cache (`apt-get download` + `dpkg -x`: not installed, so no system service is started and
# nothing outside the cache changes). The image runs nginx's stable branch on Alpine; Debian's is
# older, and services/web/nginx.conf uses nothing newer than it has.
set -euo pipefail
CACHE="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
say() { printf '[nginx] %s\n' "$*" >&2; }

if [ -n "${NGINX:-}" ]; then echo "$NGINX"; exit 0; fi
for candidate in "$(command -v nginx || true)" /usr/sbin/nginx; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
unpacked="$CACHE/nginx-deb"
if [ ! -x "$unpacked/usr/sbin/nginx" ]; then
  command -v apt-get >/dev/null || { say "no nginx here and no apt-get to fetch one: install nginx or set NGINX"; exit 1; }
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  # apt's download sandbox user must be able to write there.
  chmod 777 "$download"
  if ! (cd "$download" && apt-get download nginx >/dev/null 2>&1); then
    say "apt-get download nginx failed: refreshing the package lists"
    apt-get update >/dev/null
    (cd "$download" && apt-get download nginx >/dev/null)
  fi
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  dpkg -x "$download"/nginx_*.deb "$unpacked"
  say "unpacked $(basename "$download"/nginx_*.deb) into $unpacked"
fi
"$unpacked/usr/sbin/nginx" -v 2>/dev/null || { say "$unpacked/usr/sbin/nginx does not run (missing libraries?)"; exit 1; }
echo "$unpacked/usr/sbin/nginx"
