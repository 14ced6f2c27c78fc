// batch_norm, instance_norm, layer_norm, l2_norm, local_response_norm. iOS15 requires the
// parameters in x's dtype; iOS17 lets them share a float dtype of their own.
#include <algorithm>
#include <functional>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kInt32 = {DType::Int32};


// Per-channel parameters must hold one value per channel of x (dimension 1).
void checkPerChannel(const InferContext& ctx, std::initializer_list<const char*> names) {
    const TensorType& x = ctx.type("x");
    if (x.rank() < 2) return;
    for (const char* n : names) {
        if (!ctx.has(n)) continue;
        const TensorType& t = ctx.type(n);
        if (t.rank() != 1 || (x.shape[1] != kUnknownDim && t.shape[0] != x.shape[1]))
            ctx.fail(std::string(n) + " " + t.toString() + " must hold one value per channel of x " + x.toString());
    }
}

// Declares one normalization op for iOS15 (params in T) and iOS17 (params in their own U).
void declare(OpRegistry& r, const std::string& name, std::vector<InputDecl> inputs, std::vector<const char*> params,
             std::function<void(const InferContext&)> check, const std::string& summary) {
    for (Target t : {Target::iOS15, Target::iOS17}) {
        r.add({name, t, inputs,
               [t, params, check](const InferContext& ctx) {
                   std::vector<const char*> domain = params;
                   if (t == Target::iOS15) domain.insert(domain.begin(), "x");
                   const char* first = nullptr;
                   for (const char* p : domain) {
                       if (!ctx.has(p)) continue;
                       if (!first) first = p;
                       else if (ctx.type(p).dtype != ctx.type(first).dtype)
                           ctx.fail(std::string("inputs ") + first + " (" + dtypeName(ctx.type(first).dtype) + ") and " +
                                    p + " (" + dtypeName(ctx.type(p).dtype) + ") must have the same dtype");
                   }
                   check(ctx);
                   return std::vector<TensorType>{ctx.type("x")};
               },
               summary});
    }
}

bool compatible(const Shape& a, const Shape& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i] != kUnknownDim && b[i] != kUnknownDim && a[i] != b[i]) return false;
    return true;
}

void checkLayerNorm(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    std::vector<int64_t> axes;
    if (ctx.has("axes")) axes = ctx.ints("axes");
    else
        for (int64_t i = 0; i < x.rank(); ++i) axes.push_back(i);
    for (int64_t& a : axes) {
        if (a < 0) a += x.rank();
        if (a < 0 || a >= x.rank()) ctx.fail("axes must lie in [-rank, rank-1] for x " + x.toString());
    }
    Shape normalized;
    for (int64_t i = 0; i < x.rank(); ++i)
        if (std::find(axes.begin(), axes.end(), i) != axes.end()) normalized.push_back(x.shape[i]);
    for (const char* n : {"gamma", "beta"})
        if (ctx.has(n) && !compatible(ctx.type(n).shape, normalized))
            ctx.fail(std::string("expected shape ") + shapeToString(normalized) + " for " + n + ", got " +
                     shapeToString(ctx.type(n).shape));
}
}  // namespace

void registerNormOps(OpRegistry& r) {
    declare(r, "batch_norm",
            {{"x", false, false, false, kFloat},
             {"mean", false, false, true, kFloat},
             {"variance", false, false, true, kFloat},
             {"gamma", true, false, true, kFloat},
             {"beta", true, false, true, kFloat},
             {"epsilon", true, false, true, kFloat}},
            {"mean", "variance", "gamma", "beta", "epsilon"},
            [](const InferContext& ctx) { checkPerChannel(ctx, {"mean", "variance", "gamma", "beta"}); },
            "normalizes each channel with fixed mean and variance, then scales by gamma and shifts by beta");
    declare(r, "instance_norm",
            {{"x", false, false, false, kFloat},
             {"gamma", true, false, true, kFloat},
             {"beta", true, false, true, kFloat},
             {"epsilon", true, false, true, kFloat}},
            {"gamma", "beta", "epsilon"},
            [](const InferContext& ctx) { checkPerChannel(ctx, {"gamma", "beta"}); },
            "normalizes each channel of each sample over its spatial dimensions");
    declare(r, "layer_norm",
            {{"x", false, false, false, kFloat},
             {"axes", true, false, true, kInt32},
             {"gamma", true, false, true, kFloat},
             {"beta", true, false, true, kFloat},
             {"epsilon", true, false, true, kFloat}},
            {"gamma", "beta", "epsilon"}, checkLayerNorm,
            "normalizes over the given axes, then scales by gamma and shifts by beta");
    declare(r, "l2_norm", {{"x", false, false, false, kFloat}, {"epsilon", true, false, true, kFloat}}, {"epsilon"},
            [](const InferContext& ctx) {
                if (ctx.type("x").rank() < 3)
                    ctx.fail("x must have rank 3 or more, got " + ctx.type("x").toString());
            },
            "divides the last three dimensions by their L2 norm");
    declare(r, "local_response_norm",
            {{"x", false, false, false, kFloat},
             {"size", false, false, true, kInt32},
             {"alpha", true, false, true, kFloat},
             {"beta", true, false, true, kFloat},
             {"k", true, false, true, kFloat}},
            {"alpha", "beta", "k"}, [](const InferContext&) {},
            "normalizes each value by the sum of squares of neighbouring channels");
}

}  // namespace cms::mil
