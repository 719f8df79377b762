#!/usr/bin/env bash
# Packs the local runner package (local/, compiled to local/lib/ by `local:build`) into
# dist/local/, with the version of the construct library being built: during a release, `bump`
# has written it to package.json, so both packages are published under the same version.
# The package is staged in a temporary directory so that local/package.json, a generated file,
# stays as it is (the release checks that nothing tracked changed).
set -euo pipefail

if [ ! -f local/lib/index.js ]; then
  echo "local/lib/ is missing: run 'npx projen local:build' first" >&2
  exit 1
fi

version="$(node -p "require('./package.json').version")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

cp -R local/package.json local/README.md local/bin local/lib LICENSE "$stage/"
(cd "$stage" && npm pkg set "version=$version")
# Only this build's tarball: the release publishes every tarball in dist/local/.
rm -rf dist/local
mkdir -p dist/local
npm pack "$stage" --pack-destination dist/local
