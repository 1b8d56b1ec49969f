#!/usr/bin/env bash
# End to end: venv + requirements, stubs, a throwaway registry on a free 127.0.0.1 port, the client.
# Exits with the client's status.
#
#   REGISTRY_BIN  the server binary (default <repo>/target/debug/eastwest-registry)
#   VENV          a virtualenv to create or reuse (default: a new one in a temp dir)
#   PYTHON        the interpreter that creates the venv (default python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
registry_bin="${REGISTRY_BIN:-$repo/target/debug/eastwest-registry}"

if [ ! -x "$registry_bin" ]; then
  echo "run_example.sh: no registry binary at $registry_bin; build it with: cargo build -p eastwest-registry" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/eastwest-python-example.XXXXXX")"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    local rc=0
    wait "$server_pid" || rc=$?
    server_pid=""
    return "$rc"
  fi
  server_pid=""
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  stop_server || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Python environment.
venv="${VENV:-$work/venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating venv in $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
echo "==> installing requirements"
"$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

# 2. Stubs.
echo "==> generating stubs"
PYTHON="$py" "$here/generate.sh"

# 3. A registry on a free port with an empty data dir. (The port is free when asked for; another
#    process could take it before the server binds, in which case the server exits and we say so.)
port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
echo "==> starting $registry_bin on 127.0.0.1:$port"
"$registry_bin" --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 100); do  # up to ~10 s
  if ! kill -0 "$server_pid" 2>/dev/null; then
    wait "$server_pid" || true
    server_pid=""
    echo "run_example.sh: the registry exited before accepting connections; its log:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "run_example.sh: the registry did not accept connections on 127.0.0.1:$port within 10 s; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

# 4. The client.
echo "==> running registry_client.py"
client_rc=0
"$py" "$here/registry_client.py" --target "127.0.0.1:$port" || client_rc=$?

# 5. Stop the server (SIGTERM: it drains and flushes), then report.
server_rc=0
stop_server || server_rc=$?
if [ "$client_rc" -ne 0 ] || [ "$server_rc" -ne 0 ]; then
  echo "run_example.sh: client exited $client_rc, server exited $server_rc; server log:" >&2
  cat "$work/server.log" >&2
else
  echo "==> client succeeded; server stopped cleanly"
fi
exit "$client_rc"
