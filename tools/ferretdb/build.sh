#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server over SQLite) from the Go module proxy into .cache/ferretdb,
# once, and prints the binary's path. The module's source is downloaded from the proxy and copied to a scratch
# folder, because its build reads the release name from build/version/version.txt, which the module zip leaves
# empty (the project's own release script writes it). FerretDB is only a test peer; nothing of it is committed.
set -euo pipefail
VERSION=v1.24.2
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/ferretdb/$VERSION"
bin="$cache/ferretdb"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "FerretDB needs Go to build (go not found)" >&2; exit 1; }
mkdir -p "$cache"
src="$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || { echo "go mod download gave no source folder for FerretDB $VERSION" >&2; exit 1; }
scratch="$cache/src"
rm -rf "$scratch" && cp -r "$src" "$scratch" && chmod -R u+w "$scratch"
echo "$VERSION" > "$scratch/build/version/version.txt"
(cd "$scratch" && go build -trimpath -o "$bin.tmp" ./cmd/ferretdb) >&2
mv "$bin.tmp" "$bin"
rm -rf "$scratch"
echo "$bin"
