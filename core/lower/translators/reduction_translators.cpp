// Reductions (mean/sum/prod/amax/amin/max/min/argmax/argmin) with dim lists and keepdim, and
// softmax/log_softmax and cumsum along a dim.
#include <algorithm>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Core ML reduces fp16/fp32/int32; torch also reduces bools (as integers).
mil::Value* reducible(LowerContext& ctx, const ir::Value* v) {
    mil::Value* x = ctx.tensor(v);
    return x->type.dtype == DType::Bool ? ctx.tensorAs(v, DType::Int32) : x;
}

// Emits reduce_<kind> over `dims` (empty: every dim) and binds `out`, cast to `dtype` if given.
void reduceOver(LowerContext& ctx, const std::string& type, mil::Value* x, std::vector<int64_t> dims, bool keepdim,
                const ir::Value* out, std::optional<DType> dtype = std::nullopt) {
    const std::string name = ctx.nameFor(out);
    mil::Builder& b = ctx.builder();
    if (x->type.rank() == 0) dims.clear();
    for (int64_t& d : dims) d = normalizeDim(ctx, d, x->type.rank());
    std::sort(dims.begin(), dims.end());
    dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
    std::vector<mil::OpInput> inputs = {{"x", {x}}};
    if (!dims.empty()) inputs.push_back({"axes", {b.constInts(dims, name + "_axes")}});
    inputs.push_back({"keep_dims", {b.constBool(keepdim, name + "_keep_dims")}});
    if (!dtype || *dtype == x->type.dtype) {
        emit(ctx, type, std::move(inputs), out);
        return;
    }
    mil::Value* r = b.add1(type, std::move(inputs), name + "_" + type);
    emit(ctx, "cast", {{"x", {r}}, {"dtype", {b.constString(dtypeName(*dtype), name + "_dtype")}}}, out);
}

std::optional<DType> optionalDtype(LowerContext& ctx, const ir::Node& node, size_t index) {
    if (index >= node.inputs.size() || ctx.isNone(node.inputs[index])) return std::nullopt;
    return dtypeFromTorchScalarType(ctx, ctx.intArg(node.inputs[index]));
}

// mean/sum(x, dims, keepdim, dtype) or mean/sum(x, dtype). A None or empty dim list reduces all.
template <const char* Type>
void reduceDims(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() <= 2) {
        reduceOver(ctx, Type, x, {}, false, node.outputs.at(0), optionalDtype(ctx, node, 1));
        return;
    }
    const std::vector<int64_t> dims = ctx.isNone(node.inputs[1]) ? std::vector<int64_t>{} : ctx.intsArg(node.inputs[1]);
    reduceOver(ctx, Type, x, dims, ctx.boolArg(node.inputs.at(2)), node.outputs.at(0), optionalDtype(ctx, node, 3));
}

// amax/amin(x, dims=[], keepdim=False): an empty list reduces every dim.
template <const char* Type>
void reduceAmax(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const std::vector<int64_t> dims = node.inputs.size() > 1 ? ctx.intsArg(node.inputs[1]) : std::vector<int64_t>{};
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    reduceOver(ctx, Type, x, dims, keepdim, node.outputs.at(0));
}

// prod(x, dtype) or prod(x, dim, keepdim, dtype).
void prod(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() <= 2) {
        reduceOver(ctx, "reduce_prod", x, {}, false, node.outputs.at(0), optionalDtype(ctx, node, 1));
        return;
    }
    reduceOver(ctx, "reduce_prod", x, {ctx.intArg(node.inputs[1])}, ctx.boolArg(node.inputs.at(2)), node.outputs.at(0),
               optionalDtype(ctx, node, 3));
}

// argmax/argmin(x, dim=None, keepdim=False). Without a dim torch looks at the flattened tensor.
template <const char* Type>
void argReduce(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    int64_t axis = 0;
    if (node.inputs.size() < 2 || ctx.isNone(node.inputs[1])) {
        if (!x->type.isStatic()) ctx.fail("argmax/argmin without a dim needs a fixed input shape");
        x = reshapeTo(ctx, x, {shapeNumel(x->type.shape)}, name + "_flat");
        if (keepdim) ctx.fail("argmax/argmin without a dim but with keepdim=True is not supported");
    } else {
        axis = normalizeDim(ctx, ctx.intArg(node.inputs[1]), x->type.rank());
    }
    emit(ctx, Type,
         {{"x", {x}}, {"axis", {ctx.builder().constInt(axis, name + "_axis")}},
          {"keep_dims", {ctx.builder().constBool(keepdim, name + "_keep_dims")}}},
         out);
}

// max/min: max(x) reduces all; max(x, dim, keepdim) returns (values, indices); max(x, other) is
// elementwise.
template <const char* Reduce, const char* Arg, const char* Elementwise>
void maxMin(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() == 1) {
        reduceOver(ctx, Reduce, x, {}, false, node.outputs.at(0));
        return;
    }
    if (node.inputs.size() == 2) {
        mil::Value* y = ctx.tensorAs(node.inputs[1], x->type.dtype);
        emit(ctx, Elementwise, {{"x", {x}}, {"y", {y}}}, node.outputs.at(0));
        return;
    }
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs[1]), x->type.rank());
    const bool keepdim = ctx.boolArg(node.inputs[2]);
    reduceOver(ctx, Reduce, x, {dim}, keepdim, node.outputs.at(0));
    if (node.outputs.size() > 1) {
        const std::string name = ctx.nameFor(node.outputs[1]);
        emit(ctx, Arg,
             {{"x", {x}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}},
              {"keep_dims", {ctx.builder().constBool(keepdim, name + "_keep_dims")}}},
             node.outputs[1]);
    }
}

// softmax(x, dim, dtype) / _softmax(x, dim, half_to_float).
void softmax(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    emit(ctx, "softmax", {{"x", {x}}, {"axis", {ctx.builder().constInt(dim, ctx.nameFor(node.outputs.at(0)) + "_axis")}}},
         node.outputs.at(0));
}

// log_softmax as x - logsumexp(x): one stable reduction instead of log(softmax(x)), which
// underflows to -inf for very negative logits in fp16.
void logSoftmax(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    mil::Value* lse = b.add1("reduce_log_sum_exp",
                             {{"x", {x}}, {"axes", {b.constInts({dim}, name + "_axes")}}, {"keep_dims", {b.constBool(true, name + "_keep_dims")}}},
                             name + "_logsumexp");
    emit(ctx, "sub", {{"x", {x}}, {"y", {lse}}}, node.outputs.at(0));
}

constexpr char kReduceMean[] = "reduce_mean";
constexpr char kReduceSum[] = "reduce_sum";
constexpr char kReduceMax[] = "reduce_max";
constexpr char kReduceMin[] = "reduce_min";
constexpr char kArgmax[] = "reduce_argmax";
constexpr char kArgmin[] = "reduce_argmin";
constexpr char kMaximum[] = "maximum";
constexpr char kMinimum[] = "minimum";

// cumsum(x, dim, dtype): bools and integers sum as int32 (torch gives int64).
void cumsum(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::optional<DType> dtype = optionalDtype(ctx, node, 2);
    if (dtype && *dtype != x->type.dtype) x = ctx.tensorAs(node.inputs[0], *dtype);
    emit(ctx, "cumsum", {{"x", {x}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}}}, node.outputs[0]);
}

}  // namespace

void registerReductionTranslators(TranslatorTable& t) {
    t.add({"aten::mean"}, reduceDims<kReduceMean>);
    t.add({"aten::sum"}, reduceDims<kReduceSum>);
    t.add({"aten::prod"}, prod);
    t.add({"aten::amax"}, reduceAmax<kReduceMax>);
    t.add({"aten::amin"}, reduceAmax<kReduceMin>);
    t.add({"aten::max"}, maxMin<kReduceMax, kArgmax, kMaximum>);
    t.add({"aten::min"}, maxMin<kReduceMin, kArgmin, kMinimum>);
    t.add({"aten::argmax"}, argReduce<kArgmax>);
    t.add({"aten::argmin"}, argReduce<kArgmin>);
    t.add({"aten::cumsum", "aten::cumsum_"}, cumsum);
    t.add({"aten::softmax", "aten::_softmax", "aten::special_softmax"}, softmax);
    t.add({"aten::log_softmax", "aten::_log_softmax", "aten::special_log_softmax"}, logSoftmax);
}

}  // namespace cms::lower
