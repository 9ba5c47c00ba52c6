# Shared by the CI steps that run Python tools from PyPI against zoho-fake
# (tests/openapi/check.sh, tests/sdk/check.sh); sourced, not run. It gives them:
#   - $work, a temporary folder removed on exit (with any fake still running stopped);
#   - install_venv REQUIREMENTS WHAT...: a virtualenv in $work/venv with the pinned packages. When
#     PyPI cannot be reached it prints a loud notice saying WHAT did not run and exits 0; any
#     other failure to install fails;
#   - build_fake [CARGO ARGS...]: the debug binaries (built by the test step already), and
#     $target_dir to find them;
#   - start_fake [ZOHO-FAKE ARGS...] / stop_fake: a fresh fake on a free port, whose ZOHO_...
#     lines are in $work/fake.env (read one with fake_env NAME). The binary runs itself, not
#     through cargo, so $fake_pid is the server's.
# Callers set `set -euo pipefail` and cd to the repository root before sourcing it.

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

install_venv() {
    local requirements=$1
    shift
    local started=$SECONDS
    python3 -m venv "$work/venv"
    if ! "$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"; then
        if ! index_reachable; then
            loud "SKIPPED: PyPI cannot be reached, so $1" "${@:2}"
            exit 0
        fi
        echo "error: installing $requirements failed although PyPI answers" >&2
        exit 1
    fi
    echo "$requirements installed in $((SECONDS - started)) s"
}

build_fake() {
    cargo build -q -p zoho-fake "$@"
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
}

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

fake_env() { sed -n "s/^$1=//p" "$work/fake.env"; }
