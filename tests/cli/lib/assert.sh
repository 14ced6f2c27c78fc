# Shared by the tests/cli/*.sh scripts: run coreml-cli, check exit codes and messages.
# Usage in a script: source "$(dirname "$0")/lib/assert.sh" "$@"
set -uo pipefail

CLI="$1"
MODELS="$2"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
OUT=""
ERR=""
STATUS=0

# run ARGS...: runs coreml-cli, capturing stdout in $OUT, stderr in $ERR and the exit code in $STATUS.
run() {
    "$CLI" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    STATUS=$?
    OUT="$(cat "$WORK/stdout")"
    ERR="$(cat "$WORK/stderr")"
}

fail() {
    echo "FAIL: $*"
    echo "  stdout: $OUT"
    echo "  stderr: $ERR"
    FAILURES=$((FAILURES + 1))
}

expect_status() {  # expect_status CODE WHAT
    [ "$STATUS" -eq "$1" ] || fail "$2: exit status $STATUS, expected $1"
}

expect_err_contains() {  # expect_err_contains TEXT WHAT
    case "$ERR" in *"$1"*) ;; *) fail "$2: stderr does not contain '$1'" ;; esac
}

expect_out_contains() {
    case "$OUT" in *"$1"*) ;; *) fail "$2: stdout does not contain '$1'" ;; esac
}

# Errors never show a stack trace or a raw exception dump.
expect_no_trace() {
    case "$ERR" in *"Exception raised from"*|*"frame #"*|*"terminate called"*|*"Traceback"*)
        fail "$1: stderr shows a stack trace" ;; esac
}

require_model() {
    [ -f "$MODELS/$1" ] || { echo "FAIL: fixture $MODELS/$1 is missing (the generate_models test makes it)"; exit 1; }
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
