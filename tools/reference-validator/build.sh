#!/usr/bin/env bash
# Builds the reference harness (issue #14) with Maven into .cache/reference-validator and prints the jar's path.
# The jar's name carries a hash of pom.xml and the sources, so an unchanged tree answers at once and an edit
# rebuilds; older jars are removed. Maven's own cache (~/.m2) holds the HAPI dependencies between builds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$(cd "$here/../.." && pwd)/.cache/reference-validator"
hash="$(cd "$here" && find pom.xml src -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
jar="$cache/reference-validator-$hash.jar"
if [ -f "$jar" ]; then echo "$jar"; exit 0; fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "the reference validator needs a JDK 17+ and Maven to build ($tool not found)" >&2; exit 1; }
done
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" package >&2
mkdir -p "$cache"
# Copied under a temporary name and renamed, so a concurrent caller never runs a half-written jar.
cp "$cache/target/reference-validator.jar" "$jar.tmp.$$" && mv "$jar.tmp.$$" "$jar"
find "$cache" -maxdepth 1 -name 'reference-validator-*.jar' ! -name "$(basename "$jar")" -delete
echo "$jar"
