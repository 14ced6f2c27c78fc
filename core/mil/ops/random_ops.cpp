// Random sampling ops (iOS15): random_uniform, random_normal and random_categorical. Values differ
// from run to run unless `seed` (>= 0) is given; the output type follows the distribution's
// parameters (fp16/fp32), and categorical samples are indices stored in x's float type.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};

// The sampled shape: the values of a const `shape`, else only its length is known.
TensorType sampledType(const InferContext& ctx, DType dtype) {
    const TensorType& s = ctx.type("shape");
    if (s.rank() != 1) ctx.fail("shape must be a 1-D tensor, got " + s.toString());
    if (ctx.isConst("shape")) {
        const std::vector<int64_t> dims = ctx.ints("shape");
        for (int64_t d : dims)
            if (d <= 0) ctx.fail("every dimension of shape must be positive, got " + shapeToString(dims));
        return TensorType{dtype, dims};
    }
    if (s.shape[0] == kUnknownDim) ctx.fail("the length of a run-time shape must be known");
    return TensorType{dtype, Shape(static_cast<size_t>(s.shape[0]), kUnknownDim)};
}

// Both parameters share one float type, which becomes the output's (fp32 when neither is given).
DType parameterType(const InferContext& ctx, const std::string& a, const std::string& b) {
    const DType ta = ctx.has(a) ? ctx.type(a).dtype : DType::Float32;
    const DType tb = ctx.has(b) ? ctx.type(b).dtype : DType::Float32;
    if (ctx.has(a) && ctx.has(b) && ta != tb)
        ctx.fail(a + " (" + dtypeName(ta) + ") and " + b + " (" + dtypeName(tb) + ") must have the same dtype");
    return ctx.has(a) ? ta : tb;
}

InputDecl shapeInput() { return {"shape", false, false, false, {DType::Int32}}; }
InputDecl param(const std::string& name) { return {name, true, false, true, kFloat}; }
InputDecl seedInput() { return {"seed", true, false, true, {DType::Int32}}; }
}  // namespace

void registerRandomOps(OpRegistry& r) {
    r.add({"random_uniform", Target::iOS15, {shapeInput(), param("low"), param("high"), seedInput()},
           [](const InferContext& ctx) { return std::vector<TensorType>{sampledType(ctx, parameterType(ctx, "low", "high"))}; },
           "samples drawn uniformly from [low, high) (defaults 0 and 1)"});
    r.add({"random_normal", Target::iOS15, {shapeInput(), param("mean"), param("stddev"), seedInput()},
           [](const InferContext& ctx) { return std::vector<TensorType>{sampledType(ctx, parameterType(ctx, "mean", "stddev"))}; },
           "samples drawn from a normal distribution (defaults mean 0, stddev 1)"});
    r.add({"random_categorical", Target::iOS15,
           {{"x", false, false, false, kFloat},
            {"mode", true, false, true, {DType::String}},
            {"size", true, false, true, {DType::Int32}},
            seedInput()},
           [](const InferContext& ctx) {
               const TensorType& x = ctx.type("x");
               if (x.rank() < 1) ctx.fail("x must have rank 1 or more");
               const std::string mode = ctx.stringOr("mode", "logits");
               if (mode != "logits" && mode != "probs") ctx.fail("mode must be \"logits\" or \"probs\", got \"" + mode + "\"");
               const int64_t size = ctx.intOr("size", 1);
               if (size < 1) ctx.fail("size must be positive, got " + std::to_string(size));
               Shape out(x.shape.begin(), x.shape.end() - 1);
               out.push_back(size);
               return std::vector<TensorType>{TensorType{x.dtype, out}};
           },
           "indices drawn (with replacement) from the categorical distribution in x's last dimension"});
}

}  // namespace cms::mil
