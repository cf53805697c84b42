#!/usr/bin/env bash
# Fetches the OHIF viewer's built app (npm package @ohif/app, about 48 MB packed, 200 MB unpacked) into
# .cache/ohif, once, and prints the folder of its static build. Only the browser end-to-end test serves it; it
# is not a dependency of medgen-data and nothing of it is committed.
set -euo pipefail
VERSION=3.13.2
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/ohif/$VERSION"
if [ -f "$cache/dist/index.html" ]; then echo "$cache/dist"; exit 0; fi
mkdir -p "$cache"
scratch="$(mktemp -d "$cache/fetch.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "@ohif/app@$VERSION" >/dev/null && tar xzf ./*.tgz)
rm -rf "$cache/dist"
mv "$scratch/package/dist" "$cache/dist"
echo "$cache/dist"
