#!/usr/bin/env bash
# Reproduce newsgraph/web/static/vendor/ from the pinned front-end packages.
#
# The versions live in tools/web-assets/package.json (exact) and
# package-lock.json (with the registry's integrity hashes); `npm ci` refuses
# a tarball whose hash differs. Only the built files the UI loads and their
# licences are copied: the UI must work offline, so nothing is ever loaded
# from a CDN at run time.
#
#   tools/vendor_assets.sh          # re-vendor
#   tools/vendor_assets.sh --check  # exit 1 if the vendored files differ
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SPEC="$ROOT/tools/web-assets"
VENDOR="$ROOT/newsgraph/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$SPEC/package.json" "$SPEC/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

OUT="$WORK/vendor"
mkdir -p "$OUT/cytoscape"
CY="$WORK/node_modules/cytoscape"
# The ES module build, renamed .js so that every server sends it as JavaScript.
cp "$CY/dist/cytoscape.esm.min.mjs" "$OUT/cytoscape/cytoscape.esm.min.js"
cp "$CY/LICENSE" "$OUT/cytoscape/LICENSE"

{
  echo "# Vendored front-end files: written by tools/vendor_assets.sh, do not edit."
  for pkg in cytoscape; do
    version="$(node -p "require('$WORK/node_modules/$pkg/package.json').version")"
    echo "$pkg $version"
  done
  (cd "$OUT" && find . -type f ! -name VERSIONS | LC_ALL=C sort | xargs sha256sum)
} > "$OUT/VERSIONS"

if [[ "${1:-}" == "--check" ]]; then
  if diff -r "$OUT" "$VENDOR" >/dev/null; then
    echo "vendored assets match the pinned versions"
  else
    diff -r "$OUT" "$VENDOR" | head -20 >&2
    echo "vendored assets differ from the pinned versions: run tools/vendor_assets.sh" >&2
    exit 1
  fi
  exit 0
fi

rm -rf "$VENDOR"
mkdir -p "$VENDOR"
cp -r "$OUT/." "$VENDOR/"
echo "vendored into ${VENDOR#"$ROOT"/}:"
cat "$VENDOR/VERSIONS"
