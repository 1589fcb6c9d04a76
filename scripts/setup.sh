#!/usr/bin/env bash
# Sets a fresh machine up for a4c-admin: pnpm (pinned), the workspace's dependencies, and
# the Elasticsearch distribution (downloaded once into ~/.m2, then reused).
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "[setup] installing pnpm $PNPM_VERSION with npm"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi
for tool in java javac mvn unzip; do
  command -v "$tool" >/dev/null || { echo "[setup] $tool is missing: install it (a Java 17 JDK, Maven and unzip are needed to run Elasticsearch; javac fixes Elasticsearch 1.7 for Java 17 once)"; exit 1; }
done

# The pnpm store lives in the home folder (pnpm's default), so a second install is a copy.
echo "[setup] installing dependencies"
pnpm install --frozen-lockfile --reporter=append-only | grep -vE '^(Progress|Packages:|\+)' || true
node -e "import('./tools/elasticsearch/index.mjs').then(m => m.ensureDistribution({ log: l => console.log('[setup] ' + l) }))"
# The Elasticsearch 1.7 that A4C 1.x ran on (the integration tests start one beside 8.x).
node -e "import('./tools/elasticsearch/index.mjs').then(m => m.ensureDistribution({ version: m.A4C_1X_ELASTICSEARCH_VERSION, log: l => console.log('[setup] ' + l) }))"
# The S3-compatible server (SeaweedFS) of the off-host backup tests: built once from the Go
# module proxy into ~/.cache/a4c-admin/seaweedfs (~10 min the first time, then reused).
if command -v go >/dev/null; then
  node -e "import('./tools/s3/index.mjs').then(m => m.ensureSeaweedfs({ log: l => console.log('[setup] ' + l) }))"
else
  echo "[setup] go is missing: the off-host backup tests build their S3 server (SeaweedFS) with Go >= 1.24; install it (https://go.dev/dl) or they build it on first use once Go is there"
fi
