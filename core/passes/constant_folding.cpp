// Replaces ops whose inputs are all known at conversion time by `const` ops holding their result.
// The op is turned into a const in place, so its output keeps its name, uses and provenance.
#include "passes/all_passes.h"
#include "passes/const_eval.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

// Results up to this size are always folded; larger ones only when they are no bigger than the
// constants they are computed from (a transposed weight, not a 1 GB `fill`).
constexpr size_t kAlwaysFoldBytes = 64 * 1024;

size_t constInputBytes(const Operation& op) {
    size_t n = 0;
    for (const auto& in : op.inputs)
        for (const Value* v : in.values)
            if (v->constValue) n += v->constValue->nbytes();
    return n;
}

class ConstantFolding : public Pass {
public:
    std::string name() const override { return "constant_folding"; }

    bool run(Program& program, const PassContext& ctx) override {
        size_t total = 0;
        forEachBlock(program, [&](Block& block, Function&) {
            for (auto& op : block.ops)
                if (fold(*op)) ++total;
        });
        if (total) note(ctx, "constant_folding: computed " + std::to_string(total) + " ops at conversion time");
        return total > 0;
    }

private:
    bool fold(Operation& op) {
        if (op.type == "const" || !canEvaluate(op.type) || op.outputs.size() != 1) return false;
        Value* out = op.output();
        if (!out->type.isStatic()) return false;
        const size_t outBytes = packedByteSize(out->type.dtype, shapeNumel(out->type.shape));
        if (outBytes > kAlwaysFoldBytes && outBytes > constInputBytes(op)) return false;
        std::optional<Tensor> value = evaluateConstOp(op);
        if (!value) return false;
        op.type = "const";
        op.inputs.clear();
        out->constValue = std::move(*value);
        return true;
    }
};

}  // namespace

std::unique_ptr<Pass> makeConstantFolding() { return std::make_unique<ConstantFolding>(); }

}  // namespace cms::passes
