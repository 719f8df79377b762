#!/usr/bin/env bash
# Proves offline that every jsii language binding generates from the compiled assembly, that
# the generated Python is valid Python, and that the Python example of local/README.md calls it as it
# declares. Building the wheels, jars, nupkgs and Go modules needs PyPI, Maven Central, NuGet and
# the Go proxy, so only the release workflow does that.
set -euo pipefail

if [ ! -f .jsii ]; then
  echo "no .jsii assembly: run 'npx projen compile' first" >&2
  exit 1
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir "$out"

for language in python java dotnet go; do
  files="$(find "$out/$language" -type f | wc -l)"
  if [ "$files" -eq 0 ]; then
    echo "jsii-pacmak generated no $language code" >&2
    exit 1
  fi
  echo "$language: $files files generated"
done

mapfile -d '' python_files < <(find "$out/python" -name '*.py' -print0)
python3 -m py_compile "${python_files[@]}"
echo "python: ${#python_files[@]} modules compile with $(python3 --version)"

# The Python example (local/README.md; Construct Hub translates the README's TypeScript): it
# compiles, and calls this library as the generated module declares.
python3 scripts/check-readme-python.py "$out/python" local/README.md
