#!/usr/bin/env bash
# Generates Python stubs for every .proto under <repo>/proto into examples/python/gen/.
# Works from any directory. Uses $PYTHON (default: python3), which must have grpcio-tools installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_root="$(cd "$here/../../proto" && pwd)"
out="$here/gen"
python="${PYTHON:-python3}"

# grpc_tools ships the google/protobuf well-known types (empty, field_mask, timestamp, ...).
wkt_include="$("$python" -c 'import importlib.resources as r; print(r.files("grpc_tools") / "_proto")')"

# Paths relative to the proto root, as protoc wants them (bash 3 compatible: no mapfile).
protos=()
while IFS= read -r f; do protos+=("$f"); done < <(cd "$proto_root" && find . -name '*.proto' | sed 's|^\./||' | sort)
if [ "${#protos[@]}" -eq 0 ]; then
  echo "generate.sh: no .proto files under $proto_root" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
"$python" -m grpc_tools.protoc \
  --proto_path="$proto_root" \
  --proto_path="$wkt_include" \
  --python_out="$out" \
  --pyi_out="$out" \
  --grpc_python_out="$out" \
  "${protos[@]}"

# Regular packages rather than namespace packages, so `import eastwest.registry.v1` cannot be
# shadowed by, or merged with, another `eastwest` on sys.path.
find "$out" -mindepth 1 -type d -exec touch {}/__init__.py \;

echo "generated Python stubs for ${#protos[@]} proto file(s) in $out"
