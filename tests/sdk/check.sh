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

source tests/python-steps.sh

install_venv tests/sdk/requirements.txt "Zoho's Python SDK was NOT run against" \
    "zoho-fake and the wire comparison with this client did NOT run."
python="$work/venv/bin/python"

started=$SECONDS
build_fake
cargo build -q -p zoho-examples --example crm_v8_wire
echo "binaries built in $((SECONDS - started)) s"

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
"$target_dir/debug/examples/crm_v8_wire" --base-url "$(fake_env ZOHO_BASE_URL)" \
    --access-token "$(fake_env ZOHO_ACCESS_TOKEN)" --files "$work/files"
stop_fake
python3 tests/sdk/compare_wire.py "$work/ours.jsonl" "$work/sdk.jsonl" \
    tests/sdk/wire-differences.tsv
echo "wire comparison ran in $((SECONDS - started)) s"
