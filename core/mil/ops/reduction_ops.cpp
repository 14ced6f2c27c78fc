// Reductions over axes (reduce_sum, reduce_mean ...), arg-reductions over one axis, and softmax,
// which normalises along an axis. iOS17 lets argmax/argmin choose their index dtype.
#include <algorithm>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kNumeric = {DType::Float16, DType::Float32, DType::Int32};

TensorType inferReduceAxes(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    std::vector<int64_t> axes;
    if (ctx.has("axes")) {
        for (int64_t a : ctx.ints("axes")) axes.push_back(ctx.axis(a, x.rank()));
    } else {
        for (int64_t a = 0; a < x.rank(); ++a) axes.push_back(a);
    }
    Shape out = x.shape;
    if (ctx.boolOr("keep_dims", false)) {
        for (int64_t a : axes) out[a] = 1;
    } else {
        std::sort(axes.rbegin(), axes.rend());
        axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
        for (int64_t a : axes) out.erase(out.begin() + a);
    }
    return TensorType{x.dtype, out};
}

Shape reduceOneAxis(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const int64_t axis = ctx.axis(ctx.intOr("axis", -1), x.rank());
    Shape out = x.shape;
    if (ctx.boolOr("keep_dims", false)) out[axis] = 1;
    else out.erase(out.begin() + axis);
    return out;
}
}  // namespace

void registerReductionOps(OpRegistry& r) {
    const std::vector<std::pair<std::string, std::string>> axesOps = {
        {"reduce_sum", "sum over the given axes"},
        {"reduce_mean", "mean over the given axes"},
        {"reduce_max", "maximum over the given axes"},
        {"reduce_min", "minimum over the given axes"},
        {"reduce_prod", "product over the given axes"},
        {"reduce_l1_norm", "sum of absolute values over the given axes"},
        {"reduce_l2_norm", "square root of the sum of squares over the given axes"},
        {"reduce_log_sum", "log of the sum over the given axes"},
        {"reduce_log_sum_exp", "log of the sum of exponentials over the given axes (numerically stable)"},
        {"reduce_sum_square", "sum of squares over the given axes"},
    };
    for (const auto& [name, summary] : axesOps)
        r.add({name, Target::iOS15,
               {{"x", false, false, false, kNumeric}, {"axes", true, false, true, {DType::Int32}},
                {"keep_dims", true, false, true, {DType::Bool}}},
               [](const InferContext& ctx) { return std::vector<TensorType>{inferReduceAxes(ctx)}; }, summary});

    for (const std::string name : {"reduce_argmax", "reduce_argmin"}) {
        const std::string summary = name == "reduce_argmax" ? "index of the maximum along an axis"
                                                            : "index of the minimum along an axis";
        r.add({name, Target::iOS15,
               {{"x", false, false, false, kNumeric}, {"axis", true, false, true, {DType::Int32}},
                {"keep_dims", true, false, true, {DType::Bool}}},
               [](const InferContext& ctx) { return std::vector<TensorType>{TensorType{DType::Int32, reduceOneAxis(ctx)}}; },
               summary});
        r.add({name, Target::iOS17,
               {{"x", false, false, false, kNumeric}, {"axis", true, false, true, {DType::Int32}},
                {"keep_dims", true, false, true, {DType::Bool}}, {"output_dtype", true, false, true, {DType::String}}},
               [](const InferContext& ctx) {
                   const std::string dt = ctx.stringOr("output_dtype", "int32");
                   if (dt != "int32" && dt != "uint16") ctx.fail("output_dtype must be int32 or uint16, not " + dt);
                   return std::vector<TensorType>{
                       TensorType{dt == "int32" ? DType::Int32 : DType::UInt16, reduceOneAxis(ctx)}};
               },
               summary});
    }

    r.add({"softmax", Target::iOS15,
           {{"x", false, false, false, {DType::Float16, DType::Float32}}, {"axis", true, false, true, {DType::Int32}}},
           [](const InferContext& ctx) {
               ctx.axis(ctx.intOr("axis", -1), ctx.type("x").rank());
               return std::vector<TensorType>{ctx.type("x")};
           },
           "exp(x) normalised to sum to 1 along an axis"});
}

}  // namespace cms::mil
