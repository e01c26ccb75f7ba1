#!/usr/bin/env bash
# What the web app's server must answer, asked of a running one: check-bundles.sh starts nginx with
# services/web/nginx.conf over a fresh build and runs this against it.
#   usage: check-web-headers.sh <base URL> <the directory it serves>
# Each check prints what it saw when it fails; the script stops at the first failure.
set -euo pipefail
base="$1"
static="$2"
headers="$(mktemp)"
body="$(mktemp)"
trap 'rm -f "$headers" "$body"' EXIT

fail() {
  echo "   web server: $*" >&2
  echo "   --- response headers:" >&2
  cat "$headers" >&2
  exit 1
}
# get <path> [curl options...]: status into $status, headers and body into the files.
get() {
  local path="$1"
  shift
  status="$(curl -sS --max-time 5 -o "$body" -D "$headers" -w '%{http_code}' "$@" "$base$path")"
}
# The value of one response header (case-insensitive name, last occurrence).
header() { grep -i "^$1:" "$headers" | tail -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'; }
expect_status() { [ "$status" = "$1" ] || fail "$2: status $status, expected $1"; }
expect_header() {
  local value
  value="$(header "$1")"
  [ "$value" = "$2" ] || fail "$3: $1 '$value', expected '$2'"
}

# What Vite emitted: the CSP allows no inline script or style, so index.html may hold none.
index="$static/index.html"
if grep -Eo '<script[^>]*>' "$index" | grep -v ' src=' | grep -q .; then
  fail "index.html has an inline <script>, which the CSP (script-src 'self') blocks: $(grep -Eo '<script[^>]*>' "$index")"
fi
if grep -Eq '<style|style="' "$index"; then
  fail "index.html has inline style, which the CSP (style-src 'self') blocks"
fi
entry="$(grep -Eo '<script type="module" crossorigin src="/assets/[^"]+\.js"' "$index" | sed 's/.*src="//; s/"$//')"
[ -n "$entry" ] || fail "no /assets/*.js entry script in index.html"

csp="default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

get /
expect_status 200 "/"
cmp -s "$body" "$index" || fail "/ is not index.html"
expect_header Content-Type 'text/html; charset=utf-8' "/"
expect_header Cache-Control no-cache "/ (index.html names the current hashes: revalidated every load)"
expect_header Content-Security-Policy "$csp" "/"
expect_header X-Content-Type-Options nosniff "/"
expect_header Referrer-Policy same-origin "/"
[ -z "$(header Server | grep -E '[0-9]')" ] || fail "/: Server header names the version: $(header Server)"
echo "   / is index.html: no-cache, CSP, nosniff"

get /tasks/some-task/edit
expect_status 200 "an app route"
cmp -s "$body" "$index" || fail "an app route (/tasks/some-task/edit) is not index.html"
expect_header Cache-Control no-cache "an app route"
expect_header Content-Security-Policy "$csp" "an app route"
echo "   an app route (/tasks/some-task/edit) falls back to index.html, no-cache"

get "$entry" -H 'Accept-Encoding: gzip'
expect_status 200 "$entry"
expect_header Content-Type 'text/javascript; charset=utf-8' "$entry"
expect_header Cache-Control 'public, max-age=31536000, immutable' "$entry (hashed)"
expect_header Content-Encoding gzip "$entry (asked with Accept-Encoding: gzip)"
expect_header Vary Accept-Encoding "$entry"
gzip -dc "$body" | cmp -s - "$static$entry" || fail "$entry: the gzip body is not the file"
echo "   $entry: immutable for a year, gzip ($(wc -c <"$body") of $(wc -c <"$static$entry") bytes)"

get /assets/index-0000000000.js
expect_status 404 "a missing hashed file"
[ -z "$(header Cache-Control)" ] || fail "a 404 of /assets/ must not be cached: Cache-Control $(header Cache-Control)"
echo "   a missing /assets/ file is a 404 (not index.html), uncached"

for path in /api/tasks /api /docs /openapi.json; do
  get "$path"
  expect_status 404 "$path (task-api's, routed by the Ingress)"
done
echo "   task-api's paths (/api, /docs, /openapi.json) are 404 here, never the page"

get /livez
expect_status 200 /livez
echo "   /livez answers"
