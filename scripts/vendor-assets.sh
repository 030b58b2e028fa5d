#!/usr/bin/env bash
# Rebuild the vendored front-end assets under app/static/vendor/ (committed; users need no build).
# GOV.UK Frontend is compiled from its Sass with the system font stack: the GDS Transport font
# is licensed for GOV.UK sites only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund govuk-frontend@5.14.0 htmx.org@2 htmx-ext-sse@2 sass >/dev/null
cat > govuk.scss <<'SCSS'
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/vendor/govuk/assets/";
@import "govuk/index";
SCSS
out="$root/app/static/vendor"
mkdir -p "$out/govuk/assets/images"
npx sass --quiet --no-source-map --style=compressed --load-path=node_modules/govuk-frontend/dist \
  govuk.scss "$out/govuk/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico "$out/govuk/assets/images/"
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg "$out/govuk/assets/images/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp node_modules/htmx-ext-sse/dist/sse.min.js "$out/htmx-sse.min.js" 2>/dev/null \
  || cp node_modules/htmx-ext-sse/sse.js "$out/htmx-sse.js"
echo "vendored into $out"
