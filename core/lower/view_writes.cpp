#include "lower/view_writes.h"

#include <algorithm>
#include <numeric>

#include "common/dtype.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// "aten::add_.Tensor" -> "aten::add_".
std::string baseKind(const std::string& kind) {
    const auto colon = kind.find("::");
    const auto dot = kind.find('.', colon == std::string::npos ? 0 : colon);
    return dot == std::string::npos ? kind : kind.substr(0, dot);
}

std::vector<int64_t> contiguousStrides(const Shape& sizes) {
    std::vector<int64_t> strides(sizes.size(), 1);
    for (size_t i = sizes.size(); i-- > 1;) strides[i - 1] = strides[i] * sizes[i];
    return strides;
}

// PyTorch's is_contiguous(): sizes of 1 may have any stride.
bool isContiguous(const Shape& sizes, const std::vector<int64_t>& strides) {
    int64_t expected = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
        if (sizes[i] == 1) continue;
        if (strides[i] != expected) return false;
        expected *= sizes[i];
    }
    return true;
}

int64_t numel(const Shape& s) { return std::accumulate(s.begin(), s.end(), int64_t{1}, std::multiplies<>()); }

const std::set<std::string> kReshapes = {"aten::view",    "aten::reshape",    "aten::_unsafe_view", "aten::_reshape_alias",
                                         "aten::view_as", "aten::reshape_as", "aten::flatten",      "aten::unflatten",
                                         "aten::squeeze", "aten::unsqueeze"};
const std::set<std::string> kIdentities = {"aten::contiguous", "aten::detach", "aten::alias", "aten::to", "aten::type_as"};
const std::set<std::string> kSplits = {"aten::split", "aten::split_with_sizes", "aten::chunk", "aten::unbind",
                                       "aten::tensor_split", "aten::unsafe_split"};

}  // namespace

bool isInPlaceOp(const std::string& kind) {
    const std::string base = baseKind(kind);
    const auto colon = base.find("::");
    const std::string name = colon == std::string::npos ? base : base.substr(colon + 2);
    return name.size() > 1 && name.back() == '_' && name[name.size() - 2] != '_';
}

std::optional<ViewWrites::Alias> ViewWrites::aliasOf(LowerContext& ctx, const ir::Value* v) const {
    if (auto it = aliases_.find(v); it != aliases_.end()) return it->second;
    if (!ctx.isLowered(v) || !ctx.lowered(v).tensor) return std::nullopt;
    Alias a;
    a.root = v;
    a.sizes = ctx.lowered(v).tensor->type.shape;
    if (!ctx.lowered(v).tensor->type.isStatic()) {
        a.unsupported = "its shape is only known at run time";
        return a;
    }
    a.strides = contiguousStrides(a.sizes);
    Alias::Box box;
    box.begin.assign(a.sizes.size(), 0);
    box.end = a.sizes;
    box.stride.assign(a.sizes.size(), 1);
    box.squeeze.assign(a.sizes.size(), false);
    for (size_t d = 0; d < a.sizes.size(); ++d) box.dims.push_back(d);
    a.box = box;
    return a;
}

void ViewWrites::recordView(LowerContext& ctx, const ir::Node& node) {
    const std::string kind = baseKind(node.kind);
    if (kind == "prim::ListUnpack" && !node.inputs.empty() && node.inputs[0]->producer &&
        kSplits.count(baseKind(node.inputs[0]->producer->kind))) {
        const ir::Node& split = *node.inputs[0]->producer;
        std::optional<Alias> base = aliasOf(ctx, split.inputs.at(0));
        if (!base) return;
        // The split itself is re-run with the pieces when a write changes its input.
        if (recorded_.insert(&split).second) aliasNodes_.push_back(&split);
        for (const ir::Value* out : node.outputs) {
            Alias a = *base;
            a.unsupported = "it is a piece made by " + split.kind;
            aliases_[out] = a;
        }
        if (recorded_.insert(&node).second) aliasNodes_.push_back(&node);
        return;
    }
    const bool isView = kReshapes.count(kind) || kIdentities.count(kind) || kind == "aten::slice" ||
                        kind == "aten::select" || kind == "aten::narrow" || kind == "aten::transpose" ||
                        kind == "aten::permute" || kind == "aten::t" || kind == "aten::numpy_T" ||
                        kind == "aten::expand" || kind == "aten::expand_as";
    if (!isView || node.inputs.empty() || node.outputs.size() != 1) return;
    const ir::Value* out = node.outputs[0];
    if (!ctx.isLowered(out) || !ctx.lowered(out).tensor) return;
    std::optional<Alias> base = aliasOf(ctx, node.inputs[0]);
    if (!base) return;
    const mil::TensorType& outType = ctx.lowered(out).tensor->type;
    if (kIdentities.count(kind) && outType.dtype != ctx.lowered(node.inputs[0]).tensor->type.dtype) return;  // a copy
    Alias a = *base;
    const auto done = [&] {
        aliases_[out] = a;
        if (recorded_.insert(&node).second) aliasNodes_.push_back(&node);
    };
    // contiguous() of a strided view is a copy, not an alias.
    if (kind == "aten::contiguous" && a.unsupported.empty() && !isContiguous(a.sizes, a.strides)) return;
    if (!a.unsupported.empty() || kIdentities.count(kind)) return done();
    if (a.box && !a.box->runtimeBegin.empty()) {
        a.unsupported = "it is a view of a slice that starts at a run-time position";
        return done();
    }
    if (kind == "aten::slice" && node.inputs.size() > 2 && !ctx.isNone(node.inputs[2]) &&
        !ctx.isConstant(node.inputs[2])) {
        // A slice starting at a run-time position: only its region (not element positions) is known.
        const int64_t rank = static_cast<int64_t>(a.sizes.size());
        const int64_t d = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), rank);
        const bool unitStep = node.inputs.size() < 5 || ctx.isNone(node.inputs[4]) ||
                              (ctx.isConstant(node.inputs[4]) && ctx.intArg(node.inputs[4]) == 1);
        const size_t r = a.box ? a.box->dims[static_cast<size_t>(d)] : 0;
        if (!a.box || !unitStep || ctx.target() < mil::Target::iOS18 || a.box->begin[r] != 0 ||
            a.box->stride[r] != 1 || a.box->end[r] != ctx.tensor(a.root)->type.shape[r]) {
            a.unsupported = "it starts at a position only known at run time (writes there need iOS18's slice_update, "
                            "a step of 1, and no other slice of that dimension)";
            return done();
        }
        a.box->runtimeBegin[r] = node.inputs[2];
        a.sizes[static_cast<size_t>(d)] = mil::kUnknownDim;
        return done();
    }
    if (!outType.isStatic()) {
        a.unsupported = "its shape is only known at run time";
        return done();
    }
    if (kind != "aten::slice" && kind != "aten::narrow" && kind != "aten::select") a.box.reset();
    const int64_t rank = static_cast<int64_t>(a.sizes.size());
    const auto dimArg = [&](size_t i) { return normalizeDim(ctx, ctx.intArg(node.inputs.at(i)), rank); };
    if (kind == "aten::slice" || kind == "aten::narrow") {
        const int64_t d = rank == 0 ? 0 : dimArg(1);
        const int64_t size = a.sizes[d];
        int64_t start = 0, end = size, step = 1;
        if (kind == "aten::slice") {
            if (node.inputs.size() > 2 && !ctx.isNone(node.inputs[2])) start = ctx.intArg(node.inputs[2]);
            if (node.inputs.size() > 3 && !ctx.isNone(node.inputs[3])) end = ctx.intArg(node.inputs[3]);
            if (node.inputs.size() > 4 && !ctx.isNone(node.inputs[4])) step = ctx.intArg(node.inputs[4]);
        } else {
            start = ctx.intArg(node.inputs.at(2));
            if (start < 0) start += size;
            end = start + ctx.intArg(node.inputs.at(3));
        }
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = std::clamp<int64_t>(start, 0, size);
        end = std::clamp<int64_t>(end, start, size);
        a.offset += start * a.strides[d];
        a.sizes[d] = step > 0 ? (end - start + step - 1) / step : 0;
        a.strides[d] *= step;
        if (a.box && a.sizes[d] > 0) {
            const size_t r = a.box->dims[static_cast<size_t>(d)];
            a.box->begin[r] += start * a.box->stride[r];
            a.box->stride[r] *= step;
            a.box->end[r] = a.box->begin[r] + (a.sizes[d] - 1) * a.box->stride[r] + 1;
        } else {
            a.box.reset();
        }
    } else if (kind == "aten::select") {
        const int64_t d = dimArg(1);
        int64_t index = ctx.intArg(node.inputs.at(2));
        if (index < 0) index += a.sizes[d];
        a.offset += index * a.strides[d];
        a.sizes.erase(a.sizes.begin() + d);
        a.strides.erase(a.strides.begin() + d);
        if (a.box) {
            const size_t r = a.box->dims[static_cast<size_t>(d)];
            a.box->begin[r] += index * a.box->stride[r];
            a.box->end[r] = a.box->begin[r] + 1;
            a.box->squeeze[r] = true;
            a.box->dims.erase(a.box->dims.begin() + d);
        }
    } else if (kind == "aten::transpose" || kind == "aten::t" || kind == "aten::numpy_T" || kind == "aten::permute") {
        std::vector<int64_t> order(a.sizes.size());
        std::iota(order.begin(), order.end(), 0);
        if (kind == "aten::transpose") std::swap(order[dimArg(1)], order[dimArg(2)]);
        else if (kind == "aten::permute") {
            const std::vector<int64_t> dims = ctx.intsArg(node.inputs.at(1));
            for (size_t i = 0; i < dims.size() && i < order.size(); ++i) order[i] = normalizeDim(ctx, dims[i], rank);
        } else std::reverse(order.begin(), order.end());
        Alias p = a;
        for (size_t i = 0; i < order.size(); ++i) {
            p.sizes[i] = a.sizes[order[i]];
            p.strides[i] = a.strides[order[i]];
        }
        a = p;
    } else if (kind == "aten::expand" || kind == "aten::expand_as") {
        const Shape& to = outType.shape;
        const size_t lead = to.size() - a.sizes.size();
        std::vector<int64_t> strides(to.size(), 0);
        for (size_t i = 0; i < a.sizes.size(); ++i) strides[lead + i] = a.sizes[i] == to[lead + i] ? a.strides[i] : 0;
        a.sizes = to;
        a.strides = strides;
    } else {  // the reshapes
        const Shape& to = outType.shape;
        if (isContiguous(a.sizes, a.strides)) {
            a.sizes = to;
            a.strides = contiguousStrides(to);
        } else {
            // Adding or dropping dimensions of size 1 keeps any view; other reshapes of a strided view copy.
            Shape kept;
            std::vector<int64_t> keptStrides;
            for (size_t i = 0; i < a.sizes.size(); ++i)
                if (a.sizes[i] != 1) kept.push_back(a.sizes[i]), keptStrides.push_back(a.strides[i]);
            Shape toKept;
            for (int64_t s : to)
                if (s != 1) toKept.push_back(s);
            if (toKept != kept) {
                a.unsupported = node.kind + " of a non-contiguous view makes a copy in PyTorch";
            } else {
                std::vector<int64_t> strides;
                size_t k = 0;
                for (int64_t s : to) strides.push_back(s == 1 ? 0 : keptStrides[k++]);
                a.sizes = to;
                a.strides = strides;
            }
        }
    }
    done();
}

void ViewWrites::lowerCopy(LowerContext& ctx, const ir::Node& node) {
    mil::Value* target = ctx.tensor(node.inputs.at(0));
    const mil::TensorType type = target->type;
    if (!type.isStatic()) {
        // A region only known at run time (a KV cache slot): the source must have its rank and fit it.
        mil::Value* src = ctx.tensorAs(node.inputs.at(1), type.dtype);
        bool fits = src->type.rank() == type.rank();
        for (size_t i = 0; fits && i < type.shape.size(); ++i)
            fits = type.shape[i] == mil::kUnknownDim || src->type.shape[i] == mil::kUnknownDim ||
                   type.shape[i] == src->type.shape[i];
        if (fits) return ctx.bind(node.outputs.at(0), src);
    }
    if (!type.isStatic()) ctx.fail("copy_ into a tensor whose shape is only known at run time is not supported",
                                   "give the model inputs fixed shapes");
    mil::Value* src = ctx.tensorAs(node.inputs.at(1), type.dtype);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (src->type.shape != type.shape) {
        if (!src->type.isStatic() || src->type.shape.size() > type.shape.size())
            ctx.fail("copy_ of a " + shapeText(src->type.shape) + " tensor into a " + shapeText(type.shape) +
                     " one: the source must broadcast to the target");
        Shape padded(type.shape.size() - src->type.shape.size(), 1);
        padded.insert(padded.end(), src->type.shape.begin(), src->type.shape.end());
        std::vector<int64_t> reps(padded.size(), 1);
        for (size_t i = 0; i < padded.size(); ++i) {
            if (padded[i] == type.shape[i]) continue;
            if (padded[i] != 1)
                ctx.fail("copy_ of a " + shapeText(src->type.shape) + " tensor into a " + shapeText(type.shape) +
                         " one: the source must broadcast to the target");
            reps[i] = type.shape[i];
        }
        if (padded != src->type.shape) src = reshapeTo(ctx, src, padded, name + "_ranked");
        src = ctx.builder().add1("tile", {{"x", {src}}, {"reps", {ctx.builder().constInts(reps, name + "_reps")}}}, name);
    }
    ctx.bind(node.outputs.at(0), src);
}

void ViewWrites::translate(LowerContext& ctx, const ir::Node& node, const std::vector<ir::Node*>* block,
                           const TranslateFn& translateFn) {
    const bool inPlace = isInPlaceOp(node.kind) && !node.inputs.empty() && node.outputs.size() == 1;
    if (inPlace && baseKind(node.kind) == "aten::copy_") {
        ctx.setCurrentNode(&node);
        lowerCopy(ctx, node);
    } else {
        translateFn(node);
    }
    if (!inPlace) return recordView(ctx, node);
    const ir::Value* target = node.inputs[0];
    const ir::Value* out = node.outputs[0];
    if (target->kind != ir::ValueKind::Tensor || !ctx.isLowered(out)) return;
    if (!ctx.lowered(out).tensor) {
        if (!ctx.lowered(out).constant) return;
        if (!aliases_.count(target)) return ctx.bindLowered(target, ctx.lowered(out));  // folded at conversion time
        ctx.tensor(out);
    }
    ctx.tensor(target);
    writeBack(ctx, node, block, translateFn);
}

void ViewWrites::writeBack(LowerContext& ctx, const ir::Node& node, const std::vector<ir::Node*>* block,
                           const TranslateFn& translateFn) {
    ctx.setCurrentNode(&node);
    const ir::Value* target = node.inputs[0];
    std::optional<Alias> alias = aliasOf(ctx, target);
    if (!alias) return;
    const ir::Value* root = alias->root;
    const std::string rootName = "'" + root->name + "'" + (root->producer ? " (made by " + root->producer->kind + ")" : "");
    if (block) {
        // A body of control flow may only write to its own values: an outer tensor would need the write
        // carried out of the body, which the lowering does not do.
        const bool own = root->producer ? std::find(block->begin(), block->end(), root->producer) != block->end()
                                        : !root->constant && std::find(ctx.graph().top().inputs.begin(),
                                                                       ctx.graph().top().inputs.end(), root) ==
                                                                 ctx.graph().top().inputs.end();
        if (!own)
            ctx.fail(node.kind + " inside a control-flow body writes into tensor " + rootName +
                         ", which is defined outside it; the write cannot be carried out of the body",
                     "compute the new value functionally (e.g. torch.where or torch.cat) and assign it to a variable "
                     "instead of writing in place, then re-export the model");
    }
    mil::Value* result = ctx.lowered(node.outputs[0]).tensor;
    const mil::TensorType rootType = ctx.tensor(root)->type;
    const std::string name = ctx.nameFor(node.outputs[0]);
    if (result->type.dtype != rootType.dtype)  // an in-place op keeps its target's type
        result = ctx.builder().add1("cast", {{"x", {result}}, {"dtype", {ctx.builder().constString(dtypeName(rootType.dtype), name + "_dtype")}}},
                                    name + "_cast");
    if (target == root) {
        ctx.bind(root, result);
    } else {
        if (!alias->unsupported.empty())
            ctx.fail(node.kind + " writes into a view of tensor " + rootName + " that cannot be written back: " +
                         alias->unsupported,
                     "write into the tensor itself (e.g. x[:, 0:2] = v) or build the new value functionally "
                     "(torch.cat, torch.where, scatter), then re-export the model");
        if (alias->box && !alias->box->runtimeBegin.empty()) {
            ctx.bind(root, runtimeRegionUpdate(ctx, *alias, result, name));
            return rederive(ctx, node, *alias, translateFn);
        }
        if (result->type.shape != alias->sizes)
            ctx.fail(node.kind + " result " + shapeText(result->type.shape) + " does not match the view it writes (" +
                     shapeText(alias->sizes) + ")");
        const int64_t total = numel(rootType.shape);
        std::vector<int64_t> indices;
        indices.reserve(static_cast<size_t>(numel(alias->sizes)));
        std::vector<int64_t> at(alias->sizes.size(), 0);
        for (int64_t k = 0, count = numel(alias->sizes); k < count; ++k) {
            int64_t flat = alias->offset;
            for (size_t d = 0; d < at.size(); ++d) flat += at[d] * alias->strides[d];
            indices.push_back(flat);
            for (size_t d = at.size(); d-- > 0;) {
                if (++at[d] < alias->sizes[d]) break;
                at[d] = 0;
            }
        }
        std::vector<char> seen(static_cast<size_t>(total), 0);
        for (int64_t i : indices) {
            if (i < 0 || i >= total || seen[static_cast<size_t>(i)]++)
                ctx.fail(node.kind + " writes into an expanded view of tensor " + rootName +
                             ": several of its elements are one element of the tensor",
                         "PyTorch itself refuses such writes in eager mode; write into the tensor before expanding it");
        }
        mil::Builder& b = ctx.builder();
        mil::Value* updated = nullptr;
        bool identity = static_cast<int64_t>(indices.size()) == total;
        for (size_t i = 0; identity && i < indices.size(); ++i) identity = indices[i] == static_cast<int64_t>(i);
        const bool regionUpdate = ctx.target() >= mil::Target::iOS18 && alias->box && !alias->sizes.empty();
        if (identity) {
            updated = result->type.shape == rootType.shape ? result : reshapeTo(ctx, result, rootType.shape, name + "_into_base");
        } else if (regionUpdate) {
            // Core ML's own op for x[b:e:s, i, ...] = v (iOS18): no index tensor of the region's size.
            const Tensor squeezeMask =
                Tensor::fromBools(alias->box->squeeze, {static_cast<int64_t>(alias->box->squeeze.size())});
            updated = b.add1("slice_update", {{"x", {ctx.tensor(root)}}, {"update", {result}},
                                              {"begin", {b.constInts(alias->box->begin, name + "_begin")}},
                                              {"end", {b.constInts(alias->box->end, name + "_end")}},
                                              {"stride", {b.constInts(alias->box->stride, name + "_stride")}},
                                              {"squeeze_mask", {b.constant(squeezeMask, name + "_squeeze_mask")}}},
                             name + "_base");
        } else if (!indices.empty()) {
            mil::Value* flat = reshapeTo(ctx, ctx.tensor(root), {total}, name + "_base_flat");
            mil::Value* values = reshapeTo(ctx, result, {static_cast<int64_t>(indices.size())}, name + "_values_flat");
            mil::Value* scattered = b.add1("scatter", {{"data", {flat}}, {"indices", {b.constInts(indices, name + "_positions")}},
                                                       {"updates", {values}}, {"axis", {b.constInt(0, name + "_axis")}},
                                                       {"mode", {b.constString("update", name + "_mode")}}},
                                           name + "_base_scattered");
            updated = reshapeTo(ctx, scattered, rootType.shape, name + "_base");
        }
        if (updated) ctx.bind(root, updated);
    }
    rederive(ctx, node, *alias, translateFn);
}

mil::Value* ViewWrites::runtimeRegionUpdate(LowerContext& ctx, const Alias& alias, mil::Value* result,
                                            const std::string& name) {
    const Alias::Box& box = *alias.box;
    mil::Builder& b = ctx.builder();
    if (result->type.rank() != static_cast<int64_t>(box.dims.size()))
        ctx.fail(ctx.currentNode()->kind + " writes a " + result->type.toString() + " value into a view of rank " +
                 std::to_string(box.dims.size()));
    std::vector<Lowered> begin, end;
    for (size_t r = 0; r < box.begin.size(); ++r) {
        Lowered first, last;
        const auto runtime = box.runtimeBegin.find(r);
        if (runtime == box.runtimeBegin.end()) {
            first.constant = ir::Constant(box.begin[r]);
            last.constant = ir::Constant(box.end[r]);
        } else {
            const auto viewDim = static_cast<size_t>(std::find(box.dims.begin(), box.dims.end(), r) - box.dims.begin());
            mil::Value* start = ctx.tensorAs(runtime->second, DType::Int32);
            const Lowered size = dimOf(ctx, result, static_cast<int64_t>(viewDim), name + "_size_" + std::to_string(r));
            const std::string len = name + "_len_" + std::to_string(r);
            mil::Value* sizeValue = size.tensor ? size.tensor : b.constInt(std::get<int64_t>(*size.constant), len);
            if (sizeValue->type.dtype != DType::Int32)
                sizeValue = b.add1("cast", {{"x", {sizeValue}}, {"dtype", {b.constString("int32", len + "_dtype")}}},
                                   len + "_int");
            first.tensor = start;
            last.tensor = b.add1("add", {{"x", {start}}, {"y", {sizeValue}}}, name + "_end_" + std::to_string(r));
        }
        begin.push_back(first);
        end.push_back(last);
    }
    const Tensor squeezeMask = Tensor::fromBools(box.squeeze, {static_cast<int64_t>(box.squeeze.size())});
    return b.add1("slice_update", {{"x", {ctx.tensor(alias.root)}}, {"update", {result}},
                                   {"begin", {intVector(ctx, begin, name + "_begin")}},
                                   {"end", {intVector(ctx, end, name + "_end")}},
                                   {"stride", {b.constInts(box.stride, name + "_stride")}},
                                   {"squeeze_mask", {b.constant(squeezeMask, name + "_squeeze_mask")}}},
                  name + "_base");
}

void ViewWrites::rederive(LowerContext& ctx, const ir::Node& node, const Alias& alias, const TranslateFn& translateFn) {
    const ir::Value* root = alias.root;
    const ir::Value* target = node.inputs[0];
    // Views of the root taken before this write (the target among them) read the new values.
    for (const ir::Node* n : aliasNodes_) {
        bool ofRoot = false;
        for (const ir::Value* o : n->outputs)
            if (auto it = aliases_.find(o); it != aliases_.end() && it->second.root == root) ofRoot = true;
        if (!ofRoot) continue;
        if (isInPlaceOp(n->kind)) ctx.bind(n->outputs[0], ctx.tensor(n->inputs[0]));
        else translateFn(*n);
    }
    ctx.setCurrentNode(&node);
    ctx.bind(node.outputs[0], ctx.tensor(target));
    Alias self = alias;
    aliases_[node.outputs[0]] = self;
    if (recorded_.insert(&node).second) aliasNodes_.push_back(&node);
}

}  // namespace cms::lower
