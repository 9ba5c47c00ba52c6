#!/usr/bin/env bash
# Zoho's official Python SDK (PyPI zohocrmsdk8-0, pinned in tests/sdk/requirements.txt) against
# zoho-fake:
#   1. test_sdk_compat.py: every CRM v8 attachment and photo operation through the SDK, and the
#      errors the fake can produce, as the SDK's objects with Zoho's documented codes;
#   2. the wire comparison: the same nine operations made by the SDK (sdk_wire.py) and by this
#      repository's client (examples/crm_v8_wire.rs), each against a zoho-fake that logs what it
#      received (--record); compare_wire.py fails on any difference wire-differences.tsv does
#      not document.
# If PyPI cannot be reached, the step is skipped with a loud notice; any other failure fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
fake_pid=""
stop_fake() {
    if [[ -n "$fake_pid" ]] && kill -0 "$fake_pid" 2>/dev/null; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    fake_pid=""
}
cleanup() {
    stop_fake
    rm -rf "$work"
}
trap cleanup EXIT

loud() {
    printf '\n%s\n' "################################################################################"
    printf '#### %s\n' "$@"
    printf '%s\n\n' "################################################################################"
}

# The index pip would use, answering at all: tells "PyPI is unreachable" from "install failed".
index_reachable() {
    local index="${PIP_INDEX_URL:-https://pypi.org/simple}"
    python3 - "$index" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1].rstrip("/") + "/pip/", timeout=15)
except Exception as error:
    print(f"{sys.argv[1]}: {error}", file=sys.stderr)
    sys.exit(1)
PY
}

started=$SECONDS
python3 -m venv "$work/venv"
if ! "$work/venv/bin/pip" install --quiet --disable-pip-version-check \
        -r tests/sdk/requirements.txt; then
    if ! index_reachable; then
        loud "SKIPPED: PyPI cannot be reached, so Zoho's Python SDK was NOT run against" \
             "zoho-fake and the wire comparison with this client did NOT run."
        exit 0
    fi
    echo "error: installing tests/sdk/requirements.txt failed although PyPI answers" >&2
    exit 1
fi
python="$work/venv/bin/python"
echo "SDK installed in $((SECONDS - started)) s"

# The fake and the client's run, built by the test step already (debug); run the binaries
# themselves so that the fake's PID is the server's, not cargo's.
started=$SECONDS
cargo build -q -p zoho-fake
cargo build -q -p zoho-examples --example crm_v8_wire
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
echo "binaries built in $((SECONDS - started)) s"

# start_fake ARGS...: a fresh fake (empty store), its ZOHO_... lines in $work/fake.env.
start_fake() {
    rm -f "$work/fake.env"
    "$target_dir/debug/zoho-fake" --port 0 "$@" > "$work/fake.env" 2> "$work/fake.log" &
    fake_pid=$!
    for _ in $(seq 600); do
        grep -q '^# zoho-fake' "$work/fake.env" 2>/dev/null && return 0
        kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "error: zoho-fake did not start" >&2
    exit 1
}
env_value() { sed -n "s/^$1=//p" "$work/fake.env"; }
export ZOHO_FAKE_ENV="$work/fake.env"

started=$SECONDS
start_fake --scoped-token "ZohoCRM.modules.leads.READ,ZohoCRM.modules.attachments.READ"
# The SDK's StreamWrapper(file_path=...) opens each file it uploads and never closes it.
(cd tests/sdk && "$python" -W ignore::ResourceWarning -m unittest -v test_sdk_compat)
stop_fake
echo "compatibility suite ran in $((SECONDS - started)) s"

# The same inputs for both runs.
started=$SECONDS
mkdir "$work/files"
printf 'hello from the wire test\n' > "$work/files/report.txt"
"$python" - "$work/files/photo.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + b"\xff\0\0" * 4 for _ in range(4))
with open(sys.argv[1], "wb") as out:
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
start_fake --record "$work/sdk.jsonl"
(cd tests/sdk && "$python" sdk_wire.py "$work/files")
stop_fake
start_fake --record "$work/ours.jsonl"
"$target_dir/debug/examples/crm_v8_wire" --base-url "$(env_value ZOHO_BASE_URL)" \
    --access-token "$(env_value ZOHO_ACCESS_TOKEN)" --files "$work/files"
stop_fake
python3 tests/sdk/compare_wire.py "$work/ours.jsonl" "$work/sdk.jsonl" \
    tests/sdk/wire-differences.tsv
echo "wire comparison ran in $((SECONDS - started)) s"
