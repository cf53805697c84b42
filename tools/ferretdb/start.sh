#!/usr/bin/env bash
# Starts FerretDB (built by build.sh) with its SQLite backend on a free loopback port, in the background, and
# prints the MONGODB_URI to use. Data and log live in a fresh folder (FERRETDB_DIR, default a temp dir); the
# server's pid is written to $FERRETDB_DIR/pid, so `kill "$(cat "$FERRETDB_DIR/pid")"` stops it.
# Usage: eval "$(tools/ferretdb/start.sh)"   # exports MONGODB_URI and FERRETDB_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$("$here/build.sh")"
dir="${FERRETDB_DIR:-$(mktemp -d -t ferretdb.XXXXXX)}"
mkdir -p "$dir/data"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
"$bin" --handler=sqlite --sqlite-url="file:$dir/data/" --state-dir="$dir" --listen-addr="127.0.0.1:$port" \
  --debug-addr=- --telemetry=disable --log-level=warn >"$dir/ferretdb.log" 2>&1 &
echo $! >"$dir/pid"
for _ in $(seq 1 100); do
  if node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$port"; then
    echo "export MONGODB_URI=mongodb://127.0.0.1:$port/ FERRETDB_DIR=$dir"
    exit 0
  fi
  kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
  sleep 0.1
done
echo "FerretDB did not start on 127.0.0.1:$port; its log:" >&2
cat "$dir/ferretdb.log" >&2
exit 1
