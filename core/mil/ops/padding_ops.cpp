// pad: constant, reflect or replicate padding of the last N dimensions (unchanged since iOS15).
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};

std::vector<TensorType> inferPad(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    requireSameDtype(ctx, {"x", "constant_val"});
    const TensorType& padType = ctx.type("pad");
    if (padType.rank() != 1) ctx.fail("pad must be a 1-D tensor, got " + padType.toString());
    const std::string mode = ctx.stringOr("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "replicate")
        ctx.fail("mode must be constant, reflect or replicate, got '" + mode + "'");
    Shape out = x.shape;
    if (!ctx.isConst("pad")) {
        // A run-time pad must cover every dimension; the padded sizes are then unknown.
        if (padType.shape[0] != 2 * x.rank())
            ctx.fail("a non-constant pad must have " + std::to_string(2 * x.rank()) + " entries, got " + padType.toString());
        for (int64_t& d : out) d = kUnknownDim;
        return {TensorType{x.dtype, out}};
    }
    const std::vector<int64_t> pad = ctx.ints("pad");
    if (pad.size() % 2 != 0) ctx.fail("pad must have an even number of entries, got " + std::to_string(pad.size()));
    const size_t n = pad.size() / 2;
    if (n > out.size())
        ctx.fail("pad covers " + std::to_string(n) + " dimensions of a rank-" + std::to_string(x.rank()) + " input");
    for (size_t i = 0; i < n; ++i) {
        const int64_t before = pad[2 * i], after = pad[2 * i + 1];
        if (before < 0 || after < 0) ctx.fail("pad amounts must be non-negative");
        int64_t& d = out[out.size() - n + i];
        // Reflection mirrors around the edge element, so it can add at most size-1 elements per side.
        if (d != kUnknownDim && mode == "reflect" && (before > d - 1 || after > d - 1))
            ctx.fail("reflect padding of a dimension of size " + std::to_string(d) + " by (" + std::to_string(before) +
                     ", " + std::to_string(after) + ") exceeds size - 1");
        if (d != kUnknownDim) d += before + after;
    }
    return {TensorType{x.dtype, out}};
}
}  // namespace

void registerPaddingOps(OpRegistry& r) {
    r.add({"pad", Target::iOS15,
           {{"x", false, false, false, kFloat},
            {"pad", false, false, false, {DType::Int32}},
            {"mode", true, false, true, {DType::String}},
            {"constant_val", true, false, true, kFloat}},
           inferPad, "pads the last dimensions with a constant, their reflection or their edge values"});
}

}  // namespace cms::mil
