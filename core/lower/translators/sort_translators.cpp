// Ops that order elements: argsort and sort (Core ML's argsort, values gathered along the axis), topk,
// and unique (only on conversion-time constants: its size depends on the data).
#include <algorithm>
#include <map>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/index_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// argsort/sort come as (x, dim, descending) or, with .stable, as (x, stable, dim, descending).
struct SortArgs {
    int64_t dim = -1;
    bool descending = false;
};

SortArgs sortArgs(LowerContext& ctx, const ir::Node& node) {
    SortArgs a;
    const size_t first = node.inputs.size() >= 4 ? 2 : 1;  // skip `stable`: Core ML's order of ties is its own
    if (node.inputs.size() > first && !ctx.isNone(node.inputs[first])) a.dim = ctx.intArg(node.inputs[first]);
    if (node.inputs.size() > first + 1 && !ctx.isNone(node.inputs[first + 1])) a.descending = ctx.boolArg(node.inputs[first + 1]);
    return a;
}

// Sorting works on numbers: bools are sorted as 0/1.
mil::Value* sortable(LowerContext& ctx, const ir::Value* v, const std::string& name) {
    mil::Value* x = ctx.tensor(v);
    if (x->type.rank() == 0) ctx.fail("sorting needs at least one dimension");
    return castValue(ctx, x, x->type.dtype == DType::Bool ? DType::Int32 : x->type.dtype, name + "_sortable");
}

mil::Value* argsortOf(LowerContext& ctx, mil::Value* x, const SortArgs& a, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const int64_t axis = normalizeDim(ctx, a.dim, x->type.rank());
    return b.add1("argsort", {{"x", {x}}, {"axis", {b.constInt(axis, name + "_axis")}}, {"ascending", {b.constBool(!a.descending, name + "_ascending")}}},
                  name + "_order");
}

void argsort(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    ctx.bind(node.outputs.at(0), argsortOf(ctx, sortable(ctx, node.inputs.at(0), name), sortArgs(ctx, node), name));
}

// sort(x, ...) -> (values, indices)
void sort(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    mil::Value* work = sortable(ctx, node.inputs.at(0), name);
    const SortArgs a = sortArgs(ctx, node);
    mil::Value* order = argsortOf(ctx, work, a, name);
    mil::Builder& b = ctx.builder();
    const int64_t axis = normalizeDim(ctx, a.dim, x->type.rank());
    mil::Value* values = b.add1("gather_along_axis", {{"x", {work}}, {"indices", {order}}, {"axis", {b.constInt(axis, name + "_gather_axis")}}},
                                name + "_values");
    ctx.bind(node.outputs.at(0), castValue(ctx, values, x->type.dtype, name));
    if (node.outputs.size() > 1) ctx.bind(node.outputs[1], order);
}

// topk(x, k, dim, largest, sorted) -> (values, indices). Core ML returns them sorted, which torch's
// sorted=False leaves open.
void topk(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    mil::Value* work = sortable(ctx, node.inputs.at(0), name);
    const int64_t k = ctx.intArg(node.inputs.at(1));
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 2 ? ctx.intArg(node.inputs[2]) : -1, x->type.rank());
    const bool largest = node.inputs.size() > 3 ? ctx.boolArg(node.inputs[3]) : true;
    const int64_t size = x->type.shape[static_cast<size_t>(dim)];
    if (k <= 0) ctx.fail("topk needs k > 0 (Core ML has no empty tensors), got " + std::to_string(k));
    if (size != mil::kUnknownDim && k > size) ctx.fail("k (" + std::to_string(k) + ") is larger than the dimension (" + std::to_string(size) + ")");
    mil::Builder& b = ctx.builder();
    std::vector<mil::Value*> outs = b.add("topk",
                                          {{"x", {work}}, {"k", {b.constInt(k, name + "_k")}}, {"axis", {b.constInt(dim, name + "_axis")}},
                                           {"ascending", {b.constBool(!largest, name + "_ascending")}}},
                                          name);
    ctx.bind(node.outputs.at(0), castValue(ctx, outs.at(0), x->type.dtype, name + "_values"));
    if (node.outputs.size() > 1) ctx.bind(node.outputs[1], outs.at(1));
}

// _unique2(x, sorted, return_inverse, return_counts) -> (values, inverse, counts) of a constant; a
// run-time tensor's unique count depends on its values.
void unique2(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    std::optional<Tensor> t = ctx.isConstant(in) ? tensorOf(ctx.constant(in)) : std::nullopt;
    if (!t)
        ctx.fail("unique of a tensor computed at run time has a size that depends on the data; Core ML needs static shapes",
                 "compute the unique values outside the model, or keep the tensor a constant");
    if (t->numel() == 0) ctx.fail("unique of an empty tensor; Core ML has no empty tensors");
    // Values are sorted ascending whatever `sorted` says: torch's CPU kernel sorts too.
    const bool isInt = !isFloat(t->dtype());
    const std::vector<double> values = t->toDoubles();
    std::map<double, int64_t> counts;
    for (double v : values) ++counts[v];
    std::vector<double> uniq;
    std::vector<int64_t> count;
    for (const auto& [v, c] : counts) {
        uniq.push_back(v);
        count.push_back(c);
    }
    std::vector<int64_t> inverse;
    for (double v : values) inverse.push_back(std::lower_bound(uniq.begin(), uniq.end(), v) - uniq.begin());
    const int64_t n = static_cast<int64_t>(uniq.size());
    Tensor u = isInt ? Tensor::fromInts(std::vector<int64_t>(uniq.begin(), uniq.end()), {n})
                     : Tensor::fromFloats(std::vector<float>(uniq.begin(), uniq.end()), {n});
    if (t->dtype() == DType::Bool) u = u.castTo(DType::Bool);
    ctx.bindConstant(node.outputs.at(0), u);
    if (node.outputs.size() > 1) ctx.bindConstant(node.outputs[1], Tensor::fromInts(inverse, t->shape()));
    if (node.outputs.size() > 2) ctx.bindConstant(node.outputs[2], Tensor::fromInts(count, {n}));
}

}  // namespace

void registerSortTranslators(TranslatorTable& t) {
    t.add({"aten::argsort"}, argsort);
    t.add({"aten::sort"}, sort);
    t.add({"aten::topk"}, topk);
    t.add({"aten::_unique2"}, unique2);
}

}  // namespace cms::lower
