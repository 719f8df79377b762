#!/usr/bin/env bash
# Fails when the committed API.md is not the one jsii-docgen just generated from the compiled
# assembly (run after `docgen`), or when API.md is not committed at all.
set -euo pipefail

if ! git ls-files --error-unmatch API.md >/dev/null 2>&1; then
  echo "API.md is not committed: run 'npx projen compile && npx projen docgen' and commit it" >&2
  exit 1
fi
if ! git diff --exit-code -- API.md; then
  echo "API.md is stale (diff above): run 'npx projen compile && npx projen docgen' and commit it" >&2
  exit 1
fi
echo "API.md is current"
