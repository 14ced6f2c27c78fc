# The unsupported-op report is built from the graph the conversion imported: the model is read once,
# so the import's warning (here: saved in training mode) appears once.
source "$(dirname "$0")/lib/assert.sh" "$@"

require_model report_training_unsupported.pt
MODEL="$MODELS/report_training_unsupported.pt"

run convert "$MODEL" -o "$WORK/out.mlpackage" --input x:1x3x8x8 --report "$WORK/report.json"
expect_status 1 "convert with an unsupported op"
expect_err_contains "aten::erfinv x1" "the summary names the op"
expect_no_trace "convert with an unsupported op"
WARNINGS=$(grep -c "was saved in training mode" "$WORK/stderr")
[ "$WARNINGS" -eq 1 ] || fail "the training-mode warning appears $WARNINGS times, expected once (one import)"
[ -f "$WORK/report.json" ] || fail "--report wrote no file"
python3 - "$WORK/report.json" <<'PY' || fail "report JSON"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["unsupportedOpCount"] == 1 and r["occurrenceCount"] == 1, r
PY

finish
