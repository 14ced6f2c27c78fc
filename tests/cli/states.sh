# Stateful models from the command line: convert --state keeps a KV cache as Core ML states (iOS18), inspect
# lists them, verify --decode-steps compares a prefill and decode steps with libtorch step by step (text and
# JSON), a state below iOS18 and a buffer written but not declared are refused with what to do.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model llama_kv.pt
require_model state_counter.pt
LLAMA="$MODELS/llama_kv.pt"

run ops "$LLAMA"
expect_status 0 "ops lists the buffers written in place"
expect_out_contains "Buffers written in place" "ops lists the buffers written in place"
expect_out_contains "--state k_cache:6x1x8x64x64" "ops lists the buffers written in place"
expect_out_contains "--state v_cache:6x1x8x64x64" "ops lists the buffers written in place"

run convert "$LLAMA" -o "$WORK/llama.mlpackage" --target iOS18 --precision fp32 \
    --input "tokens:1x(1..64=8):dtype=int32" --input "pos:1:dtype=int32" \
    --state "k_cache:6x1x8x64x64" --state "v_cache:6x1x8x64x64"
expect_status 0 "convert with states"
run inspect "$WORK/llama.mlpackage"
expect_status 0 "inspect states"
expect_out_contains "States:" "inspect states"
expect_out_contains "k_cache" "inspect states"
run inspect --json "$WORK/llama.mlpackage"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [s["name"] for s in d["states"]]
assert names == ["k_cache", "v_cache"], names
assert d["states"][0]["shape"] == [6, 1, 8, 64, 64] and d["states"][0]["dtype"] == "fp16", d["states"][0]
assert [i["name"] for i in d["inputs"]] == ["tokens", "pos"], d["inputs"]
' || fail "inspect --json: states not listed"

run verify "$LLAMA" "$WORK/llama.mlpackage" --decode-steps 3 --prompt-length 5 --json "$WORK/steps.json"
expect_status 0 "verify --decode-steps"
expect_out_contains "prefill" "verify --decode-steps"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["passed"] and d["mode"] == "prefill+decode", d
steps = d["steps"]
assert len(steps) == 4 and steps[0]["kind"] == "prefill" and steps[0]["tokens"] == 5, steps[0]
assert [s["position"] for s in steps] == [0, 5, 6, 7], [s["position"] for s in steps]
assert all(s["nextToken"] == s["packageNextToken"] for s in steps), steps
' "$WORK/steps.json" || fail "verify --decode-steps: JSON report"

run convert "$MODELS/state_counter.pt" -o "$WORK/counter.mlpackage" --input x:1x4 --target iOS18
expect_status 1 "undeclared buffer"
expect_err_contains "buffer 'total'" "undeclared buffer"
expect_err_contains "--state total:1x4" "undeclared buffer"
expect_no_trace "undeclared buffer"
run convert "$MODELS/state_counter.pt" -o "$WORK/counter.mlpackage" --input x:1x4 --state total:1x4 --target iOS17
expect_status 1 "state below iOS18"
expect_err_contains "--target iOS18" "state below iOS18"
run convert "$MODELS/state_counter.pt" -o "$WORK/counter.mlpackage" --input x:1x4 --state total:1x4 --target iOS18
expect_status 0 "declared fp32 buffer"
run convert "$MODELS/state_counter.pt" -o "$WORK/bad.mlpackage" --input x:1x4 --state "total:1xfour" --target iOS18
expect_status 2 "malformed --state"
finish
