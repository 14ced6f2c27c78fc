#!/usr/bin/env bash
# Regenerates the package seeds (Manifest.json, model.mlmodel, weight.bin) of the fuzz corpora from a tiny model
# converted by coreml-cli in four variants (fp16/fp32, iOS15/iOS18, palettized and int8-quantized weights).
# The JSON/YAML seeds are written by hand and kept as they are. Usage: make_seeds.sh path/to/coreml-cli
set -euo pipefail
CLI=${1:?usage: make_seeds.sh path/to/coreml-cli}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

/usr/bin/python3 - "$WORK/tiny.pt" <<'PY'
import sys, torch
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.fc = torch.nn.Linear(16, 3)
    def forward(self, x):
        y = torch.relu(self.conv(x)).mean(dim=1).flatten(1)
        return torch.softmax(self.fc(y), dim=1)
torch.manual_seed(0)
torch.jit.trace(Tiny().eval(), torch.rand(1, 2, 4, 4)).save(sys.argv[1])
PY

cat > "$WORK/palettize.yaml" <<'Y'
config_type: OpPalettizerConfig
global_config:
    mode: uniform
    nbits: 4
    weight_threshold: 8
Y
cat > "$WORK/quantize.yaml" <<'Y'
config_type: OpLinearQuantizerConfig
global_config:
    mode: linear_symmetric
    dtype: int8
    weight_threshold: 8
Y

variant() {  # NAME OPTIONS...
    local name=$1; shift
    "$CLI" convert "$WORK/tiny.pt" -o "$WORK/$name.mlpackage" --input x:1x2x4x4 "$@" >/dev/null
    local data="$WORK/$name.mlpackage/Data/com.apple.CoreML"
    cp "$WORK/$name.mlpackage/Manifest.json" "$HERE/seeds/manifest/$name.json"
    cp "$data/model.mlmodel" "$HERE/seeds/model_proto/$name.mlmodel"
    [ -f "$data/weights/weight.bin" ] && cp "$data/weights/weight.bin" "$HERE/seeds/weight_blob/$name.bin"
    local sidecar
    sidecar=$(find "$WORK/$name.mlpackage/Data" -name '*.json' | head -1)
    [ -n "$sidecar" ] && cp "$sidecar" "$HERE/seeds/manifest/${name}_provenance.json"
    return 0
}
mkdir -p "$HERE/seeds/manifest" "$HERE/seeds/model_proto" "$HERE/seeds/weight_blob"
variant fp16_ios15
variant fp32_ios17 --precision fp32 --target iOS17
variant palettized_ios18 --target iOS18 --compress "$WORK/palettize.yaml"
variant int8_ios16 --target iOS16 --compress "$WORK/quantize.yaml"
# The archive probe reads zip directories: a TorchScript archive and a state_dict archive.
mkdir -p "$HERE/seeds/archive_probe"
cp "$WORK/tiny.pt" "$HERE/seeds/archive_probe/torchscript.pt"
/usr/bin/python3 -c "import torch,sys; torch.save({'w': torch.ones(2)}, sys.argv[1])" "$HERE/seeds/archive_probe/state_dict.pt"
# fuzz_torchscript_import mutates whole TorchScript archives: four tiny modules (make_torchscript_seeds.py).
/usr/bin/python3 "$HERE/make_torchscript_seeds.py" "$HERE/seeds/torchscript_import"
