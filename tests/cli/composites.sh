# The unsupported-op report on the command line (convert's exit code and summary, --report, ops)
# and --composites on convert and ops.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model comp_unsupported.pt
require_model comp_selu.pt
MODEL="$MODELS/comp_unsupported.pt"
SRC="$(cd "$(dirname "$0")/../.." && pwd)"

run convert "$MODEL" -o "$WORK/u.mlpackage" --input x:1x3x8x8 --report "$WORK/report.json"
expect_status 1 "convert with unsupported ops"
expect_err_contains "3 operation type(s) cannot be converted (9 node(s))" "convert summary"
expect_err_contains "aten::erfinv x3" "convert summary names erfinv"
expect_err_contains "1 [Block] at " "convert summary has module paths and types"
expect_err_contains "next: apply the built-in composite set \"fake-quantize\" (--composites builtin:fake-quantize)" "convert next step"
[ ! -e "$WORK/u.mlpackage" ] || fail "a package was written for an unconvertible model"
python3 - "$WORK/report.json" <<'PY' || fail "convert --report: unexpected JSON"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["unsupportedOpCount"] == 3 and r["occurrenceCount"] == 9, r
ops = {o["op"]: o for o in r["ops"]}
assert ops["aten::erfinv"]["nextSteps"][0]["kind"] == "user-composite"
assert "aten::erfinv(Tensor self) -> Tensor" in ops["aten::erfinv"]["nextSteps"][0]["template"]
assert [o["modulePath"][-1] for o in ops["aten::dequantize"]["occurrences"]] == ["0", "1", "2"]
PY

run ops "$MODEL" --input x:1x3x8x8
expect_status 0 "ops"
echo "$OUT" | grep -Eq ' yes +translator$' || fail "ops: no op listed as converted by a translator"
echo "$OUT" | grep -Eq '^aten::quantize_per_tensor +3 +NO +not by default; --composites builtin:fake-quantize' \
    || fail "ops: quantize_per_tensor without its optional composite"
echo "$OUT" | grep -Eq '^aten::erfinv +3 +NO +-' || fail "ops: erfinv not listed as unsupported"
expect_out_contains "3 op types cannot be converted." "ops count"
expect_out_contains "What it is: The inverse of the error function" "ops explanation"
expect_out_contains "output: compose_here(x=self)" "ops template"

run ops "$MODEL" --json
expect_status 0 "ops --json"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ops = {o["op"]: o for o in d["ops"]}
assert ops["aten::erfinv"]["supported"] is False and ops["aten::erfinv"]["count"] == 3
assert ops["aten::quantize_per_tensor"]["builtinComposite"] == "--composites builtin:fake-quantize"
assert d["unsupported"]["unsupportedOpCount"] == 3
' || fail "ops --json: unexpected content"

# A user composite is listed as what converts the op, overriding the built-in translator.
run ops "$MODELS/comp_selu.pt" --composites "$SRC/tests/data/composites/selu.yaml"
expect_status 0 "ops --composites"
echo "$OUT" | grep -Eq "^aten::selu +1 +yes +composite .*selu.yaml:3:5 \(overrides the translator\)" \
    || fail "ops --composites: selu not converted by the user composite"

run convert "$MODELS/comp_selu.pt" -o "$WORK/selu.mlpackage" --input x:2x3x8 --composites "$SRC/tests/data/composites/selu.yaml" \
    --report "$WORK/none.json" --verify
expect_status 0 "convert --composites --verify"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["ops"] == []' "$WORK/none.json" || fail "empty report"

printf 'composites:\n  - op: "aten::selu(Tensor self) -> Tensor"\n    output: mul(x=self, y=nope)\n' >"$WORK/bad.yaml"
run convert "$MODELS/comp_selu.pt" -o "$WORK/bad.mlpackage" --input x:2x3x8 --composites "$WORK/bad.yaml"
expect_status 1 "convert with a broken composite"
expect_err_contains "$WORK/bad.yaml:3:27: unknown name 'nope'" "broken composite position"

run convert "$MODEL" -o "$WORK/u2.mlpackage" --input x:1x3x8x8 --composites builtin:no-such-set
expect_status 1 "unknown built-in set"
expect_err_contains "there is no built-in composite set named \"no-such-set\"" "unknown built-in set"
expect_err_contains "builtin:fake-quantize" "unknown built-in set lists the sets"

finish
