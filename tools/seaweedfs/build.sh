#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (master, volume, filer and S3 gateway in one binary) from the Go module proxy into
# .cache/seaweedfs, once, and prints the binary's path. SeaweedFS tags no Go-module releases, so a pinned
# pseudo-version is used; its generated sources (admin templates, gzipped static files) are in the module zip,
# so it builds straight from the read-only module cache with no build tags. It is only an S3 test peer for the
# file-store tests; nothing of it is committed.
set -euo pipefail
VERSION=v0.0.0-20261109003541-7506e5f91cd6
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/seaweedfs/$VERSION"
bin="$cache/weed"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "SeaweedFS needs Go to build (go not found)" >&2; exit 1; }
mkdir -p "$cache"
src="$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || { echo "go mod download gave no source folder for SeaweedFS $VERSION" >&2; exit 1; }
# Without DWARF and symbol tables (-s -w) the binary is a third smaller (about 160 MB, not 230); the commit goes
# into `weed version`, which otherwise names none.
(cd "$src" && go build -trimpath -ldflags="-s -w -X github.com/seaweedfs/seaweedfs/weed/util/version.COMMIT=${VERSION##*-}" \
  -o "$bin.tmp" ./weed) >&2
mv "$bin.tmp" "$bin"
echo "$bin"
