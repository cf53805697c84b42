#!/usr/bin/env bash
# Fetches Synthea (org.mitre.synthea:synthea on Maven Central, with its runtime dependencies) into
# .cache/synthea with Maven and prints that folder: the SYNTHEA_HOME under which `--engine synthea` runs it
# (`java -cp '.cache/synthea/lib/*' App`). It runs `medgen-data setup --synthea`, the code a user runs, so the
# pom is written by src/generate/synthea-install.ts into .cache/synthea/pom.xml rather than kept here: the
# package needs it at run time and tools/ is not part of that. A folder that already holds the version answers
# at once; Maven's own cache (~/.m2) keeps the jars between clean checkouts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
home="$root/.cache/synthea"
for tool in node java mvn; do
  command -v "$tool" >/dev/null || { echo "fetching Synthea needs Node, Java 11+ and Maven ($tool not found)" >&2; exit 1; }
done
SYNTHEA_HOME="$home" SYNTHEA_JAR= node "$root/bin/medgen-data.js" setup --synthea --data-dir "$home" >&2
echo "$home"
