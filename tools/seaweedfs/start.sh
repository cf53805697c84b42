#!/usr/bin/env bash
# Starts SeaweedFS (built by build.sh) as one `weed server -s3` process (master, volume, filer and S3 gateway) on
# free loopback ports, in the background, with S3 authentication on: one identity, access key medgen-test and a
# secret made fresh on each start. It creates the bucket medgen-test and prints the AWS_* variables the SDK reads
# (endpoint, keys, region) and MEDGEN_TEST_S3_URL. Data, config and logs live in a fresh folder (SEAWEEDFS_DIR,
# default a temp dir); the server's pid is written to $SEAWEEDFS_DIR/pid, so `kill "$(cat "$SEAWEEDFS_DIR/pid")"`
# stops it.
# Usage: eval "$(tools/seaweedfs/start.sh)"   # exports AWS_ENDPOINT_URL_S3, AWS_*, MEDGEN_TEST_S3_URL, SEAWEEDFS_DIR
set -euo pipefail
umask 077 # s3.json holds the secret
here="$(cd "$(dirname "$0")" && pwd)"
bin="$("$here/build.sh")"
dir="${SEAWEEDFS_DIR:-$(mktemp -d -t seaweedfs.XXXXXX)}"
# A new master over an old folder's volumes refuses to grow them (its cluster id differs), so the folder must be
# new or empty: after an eval, unset SEAWEEDFS_DIR before starting a second server.
[ -z "$(ls -A "$dir" 2>/dev/null)" ] || { echo "SEAWEEDFS_DIR=$dir is not empty; SeaweedFS starts only in a fresh folder" >&2; exit 1; }
mkdir -p "$dir/data"
dir="$(cd "$dir" && pwd)"
bucket=medgen-test key=medgen-test
secret="$(node -p 'require("crypto").randomBytes(20).toString("hex")')"
cat >"$dir/s3.json" <<JSON
{"identities": [{"name": "$key", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
# Eight distinct free ports, held open together so none repeats: each service's HTTP port and its gRPC port
# (weed's default gRPC port, HTTP + 10000, may be taken or past 65535).
read -r master master_grpc volume volume_grpc filer filer_grpc s3 s3_grpc < <(node -e '
  const net = require("net");
  Promise.all(Array.from({ length: 8 }, () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)) })))
    .then((ss) => { console.log(ss.map((s) => s.address().port).join(" ")); ss.forEach((s) => s.close()) })')
# It runs in $dir so that no stray *.toml in the caller's folder configures it, and without the caller's AWS keys,
# of which the S3 gateway would make a second admin identity (an earlier eval of this script exports some).
# Telemetry off and no Sentry DSN, so it calls nothing outside; the Iceberg and Lance ports (fixed by default) off;
# small volumes, which grow on demand (up to 100: each bucket and prefix collection grows several at once, and
# 16 filled up within a few test runs); no 10 s wait before the volume server stops; no bucket made on the fly, so a
# missing bucket fails as on AWS.
(cd "$dir" && unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY &&
  SENTRY_DSN= exec "$bin" -logtostderr server -s3 -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$dir/data" \
  -master.port="$master" -master.port.grpc="$master_grpc" -master.telemetry=false -master.volumeSizeLimitMB=64 \
  -volume.port="$volume" -volume.port.grpc="$volume_grpc" -volume.max=100 -volume.preStopSeconds=0 \
  -filer.port="$filer" -filer.port.grpc="$filer_grpc" \
  -s3.port="$s3" -s3.port.grpc="$s3_grpc" -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$dir/s3.json" \
  -s3.autoCreateBucket=false) >"$dir/weed.log" 2>&1 &
echo $! >"$dir/pid"
fail() {
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  echo "SeaweedFS: $1; its logs:" >&2
  cat "$dir"/*.log >&2
  exit 1
}
alive() { kill -0 "$(cat "$dir/pid")" 2>/dev/null; }
up=
for _ in $(seq 1 300); do
  if node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$s3"; then
    up=1 && break
  fi
  alive || break
  sleep 0.1
done
[ -n "$up" ] || fail "S3 did not start on 127.0.0.1:$s3"
# weed shell talks gRPC to the master and filer (addresses written host:port.grpcPort), retried while they come up.
for _ in $(seq 1 30); do
  out="$(echo "s3.bucket.create -name $bucket -owner $key" | "$bin" shell -connectTimeout=5s \
    -master="127.0.0.1:$master.$master_grpc" -filer="127.0.0.1:$filer.$filer_grpc" 2>&1)" || true
  echo "$out" >>"$dir/shell.log"
  if grep -qE "created bucket|already exists" <<<"$out"; then created=1 && break; fi
  alive || break
  sleep 1
done
[ -n "${created:-}" ] || fail "could not create the bucket $bucket"
# The gateway learns of the bucket and loads the identity asynchronously: wait until a HeadBucket signed with
# the key (AWS Signature V4, written out here because the AWS SDK may not be installed yet) answers 200.
for _ in $(seq 1 100); do
  if node -e '
    const { createHash, createHmac } = require("crypto");
    const [port, bucket, key, secret] = process.argv.slice(1);
    const date = new Date().toISOString().replace(/[-:]|\.\d+/g, ""), scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const empty = createHash("sha256").digest("hex"), signed = "host;x-amz-content-sha256;x-amz-date";
    const request = ["HEAD", `/${bucket}`, "", `host:127.0.0.1:${port}`, `x-amz-content-sha256:${empty}`, `x-amz-date:${date}`, "", signed, empty].join("\n");
    const toSign = ["AWS4-HMAC-SHA256", date, scope, createHash("sha256").update(request).digest("hex")].join("\n");
    const signingKey = [date.slice(0, 8), "us-east-1", "s3", "aws4_request"].reduce((k, part) => createHmac("sha256", k).update(part).digest(), `AWS4${secret}`);
    const signature = createHmac("sha256", signingKey).update(toSign).digest("hex");
    fetch(`http://127.0.0.1:${port}/${bucket}`, { method: "HEAD", headers: { "x-amz-date": date, "x-amz-content-sha256": empty,
      authorization: `AWS4-HMAC-SHA256 Credential=${key}/${scope}, SignedHeaders=${signed}, Signature=${signature}` } })
      .then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$s3" "$bucket" "$key" "$secret"; then
    echo "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3 AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret" \
      "AWS_REGION=us-east-1 MEDGEN_TEST_S3_URL=s3://$bucket/ci SEAWEEDFS_DIR=$dir"
    exit 0
  fi
  alive || break
  sleep 0.2
done
fail "the bucket $bucket did not answer a signed request on 127.0.0.1:$s3"
