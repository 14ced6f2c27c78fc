// Ops that change how a tensor is viewed, not its values: view/reshape/flatten/unflatten, permute and
// transpose, (un)squeeze, atleast_Nd, expand/repeat/tile, casts, shapes as tensors, and the ops that
// are identities in eval mode.
// Whatever is static is resolved here, so a reshape to the same shape emits nothing.
#include <algorithm>
#include <numeric>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Resolves one -1 in a torch view shape against the input's element count.
Shape resolveViewShape(LowerContext& ctx, const Shape& in, std::vector<int64_t> to) {
    if (std::count(to.begin(), to.end(), -1) > 1) ctx.fail("view shape " + listText(to) + " has more than one -1");
    if (std::find(in.begin(), in.end(), mil::kUnknownDim) != in.end()) return to;  // resolved by Core ML at run time
    const std::vector<int64_t> requested = to;
    auto neg = std::find(to.begin(), to.end(), -1);
    const int64_t total = shapeNumel(in);
    if (neg != to.end()) {
        int64_t rest = 1;
        for (auto it = to.begin(); it != to.end(); ++it)
            if (it != neg) rest *= *it;
        if (rest == 0 || total % rest != 0) ctx.fail("cannot view a tensor of shape " + shapeText(in) + " as " + listText(requested));
        *neg = total / rest;
    }
    if (shapeNumel(to) != total) ctx.fail("cannot view a tensor of shape " + shapeText(in) + " as " + listText(requested));
    return to;
}

void emitReshape(LowerContext& ctx, const ir::Node& node, const Shape& target) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const Shape shape = resolveViewShape(ctx, x->type.shape, target);
    if (shape == x->type.shape && x->type.isStatic()) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "reshape", {{"x", {x}}, {"shape", {ctx.builder().constInts(shape, ctx.nameFor(node.outputs.at(0)) + "_shape")}}},
         node.outputs.at(0));
}

void view(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* size = node.inputs.at(1);
    const Lowered& l = ctx.lowered(size);
    if (l.tensor && !l.isList) {
        // A whole run-time size (x.size() of a tensor with flexible dimensions).
        mil::Value* x = ctx.tensor(node.inputs.at(0));
        emit(ctx, "reshape", {{"x", {x}}, {"shape", {ctx.tensorAs(size, DType::Int32)}}}, node.outputs.at(0));
        return;
    }
    const std::vector<Lowered> items = elementsOf(ctx, size);
    if (allConstant(items)) {
        emitReshape(ctx, node, ctx.intsArg(size));
        return;
    }
    ctx.bind(node.outputs.at(0), reshapeToItems(ctx, ctx.tensor(node.inputs.at(0)), items, ctx.nameFor(node.outputs.at(0))));
}

void viewAs(LowerContext& ctx, const ir::Node& node) {
    mil::Value* other = ctx.tensor(node.inputs.at(1));
    if (other->type.isStatic()) {
        emitReshape(ctx, node, other->type.shape);
        return;
    }
    // The other tensor's sizes as the run time has them.
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<Lowered> sizes;
    for (int64_t d = 0; d < other->type.rank(); ++d) sizes.push_back(dimOf(ctx, other, d, name + "_like"));
    ctx.bind(node.outputs.at(0), reshapeToItems(ctx, ctx.tensor(node.inputs.at(0)), sizes, name));
}

void flatten(LowerContext& ctx, const ir::Node& node) {
    const Shape& in = ctx.typeOf(node.inputs.at(0)).shape;
    const int64_t rank = static_cast<int64_t>(in.size());
    if (rank == 0) {
        emitReshape(ctx, node, {1});
        return;
    }
    const int64_t start = normalizeDim(ctx, node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : 0, rank);
    const int64_t end = normalizeDim(ctx, node.inputs.size() > 2 ? ctx.intArg(node.inputs[2]) : -1, rank);
    if (start > end) ctx.fail("flatten: start_dim " + std::to_string(start) + " comes after end_dim " + std::to_string(end));
    Shape out(in.begin(), in.begin() + start);
    int64_t merged = 1;
    for (int64_t d = start; d <= end; ++d) merged = (in[d] == mil::kUnknownDim || merged == -1) ? -1 : merged * in[d];
    out.push_back(merged);
    out.insert(out.end(), in.begin() + end + 1, in.end());
    if (std::count(out.begin(), out.end(), -1) <= 1) {
        emitReshape(ctx, node, out);
        return;
    }
    // Several sizes only known at run time: the kept ones are read from x, the merged one is inferred.
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<Lowered> items;
    for (int64_t d = 0; d < rank; ++d) {
        if (d == start) {
            Lowered minusOne;
            minusOne.constant = int64_t(-1);
            items.push_back(minusOne);
        }
        if (d < start || d > end) items.push_back(dimOf(ctx, x, d, name));
    }
    ctx.bind(node.outputs.at(0), reshapeToItems(ctx, x, items, name));
}

void emitTranspose(LowerContext& ctx, const ir::Node& node, const std::vector<int64_t>& perm) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    std::vector<int64_t> identity(perm.size());
    std::iota(identity.begin(), identity.end(), 0);
    if (perm == identity) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "transpose", {{"x", {x}}, {"perm", {ctx.builder().constInts(perm, ctx.nameFor(node.outputs.at(0)) + "_perm")}}},
         node.outputs.at(0));
}

void permute(LowerContext& ctx, const ir::Node& node) {
    const int64_t rank = ctx.typeOf(node.inputs.at(0)).rank();
    std::vector<int64_t> perm = ctx.intsArg(node.inputs.at(1));
    if (static_cast<int64_t>(perm.size()) != rank)
        ctx.fail("permute of a rank-" + std::to_string(rank) + " tensor needs " + std::to_string(rank) + " dims, got " +
                 std::to_string(perm.size()));
    for (int64_t& p : perm) p = normalizeDim(ctx, p, rank);
    emitTranspose(ctx, node, perm);
}

void transpose(LowerContext& ctx, const ir::Node& node) {
    const int64_t rank = ctx.typeOf(node.inputs.at(0)).rank();
    std::vector<int64_t> perm(static_cast<size_t>(rank));
    std::iota(perm.begin(), perm.end(), 0);
    if (rank == 0) {
        bindSame(ctx, node);
        return;
    }
    const int64_t a = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), rank);
    const int64_t b = normalizeDim(ctx, ctx.intArg(node.inputs.at(2)), rank);
    std::swap(perm[a], perm[b]);
    emitTranspose(ctx, node, perm);
}

// aten::t: 2-D transpose; 0-D and 1-D tensors are returned unchanged.
void matrixTranspose(LowerContext& ctx, const ir::Node& node) {
    const int64_t rank = ctx.typeOf(node.inputs.at(0)).rank();
    if (rank > 2) ctx.fail("t() expects a tensor of at most 2 dimensions, got rank " + std::to_string(rank));
    if (rank < 2) {
        bindSame(ctx, node);
        return;
    }
    emitTranspose(ctx, node, {1, 0});
}

void unsqueeze(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank() + 1);
    emit(ctx, "expand_dims", {{"x", {x}}, {"axes", {ctx.builder().constInts({dim}, ctx.nameFor(node.outputs.at(0)) + "_axes")}}},
         node.outputs.at(0));
}

// squeeze(x) drops every size-1 dim; squeeze(x, dim) / squeeze(x, dims) only those listed that
// have size 1 (torch ignores the others).
void squeeze(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const Shape& shape = x->type.shape;
    std::vector<int64_t> axes;
    if (node.inputs.size() < 2 || ctx.isNone(node.inputs[1])) {
        for (int64_t d = 0; d < x->type.rank(); ++d)
            if (shape[d] == 1) axes.push_back(d);
    } else {
        for (int64_t d : ctx.intsArg(node.inputs[1])) {
            if (x->type.rank() == 0) continue;
            const int64_t a = normalizeDim(ctx, d, x->type.rank());
            if (shape[a] == 1) axes.push_back(a);
        }
    }
    if (axes.empty()) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "squeeze", {{"x", {x}}, {"axes", {ctx.builder().constInts(axes, ctx.nameFor(node.outputs.at(0)) + "_axes")}}},
         node.outputs.at(0));
}

// Tiles x (after adding leading dims) so that its shape becomes `target`.
void tileTo(LowerContext& ctx, const ir::Node& node, mil::Value* x, const Shape& reps) {
    if (std::all_of(reps.begin(), reps.end(), [](int64_t r) { return r == 1; })) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "tile", {{"x", {x}}, {"reps", {ctx.builder().constInts(reps, ctx.nameFor(node.outputs.at(0)) + "_reps")}}},
         node.outputs.at(0));
}

mil::Value* withLeadingOnes(LowerContext& ctx, mil::Value* x, int64_t rank, const std::string& name) {
    if (x->type.rank() >= rank) return x;
    Shape shape(static_cast<size_t>(rank - x->type.rank()), 1);
    shape.insert(shape.end(), x->type.shape.begin(), x->type.shape.end());
    if (!x->type.isStatic()) {
        std::vector<int64_t> axes(static_cast<size_t>(rank - x->type.rank()));
        std::iota(axes.begin(), axes.end(), 0);
        return ctx.builder().add1("expand_dims", {{"x", {x}}, {"axes", {ctx.builder().constInts(axes, name + "_axes")}}}, name);
    }
    return reshapeTo(ctx, x, shape, name);
}

// x expanded to the torch size `target` (conversion-time ints, -1 to keep a dimension, or run-time
// sizes): tile with repetitions fixed at conversion time where every size involved is known, else
// repetitions computed at run time as target size / x's size (x's size being 1 or the target).
void expandToItems(LowerContext& ctx, const ir::Node& node, const std::vector<Lowered>& target) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t rank = static_cast<int64_t>(target.size());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const auto constantOf = [](const Lowered& l) -> std::optional<int64_t> {
        if (l.tensor || !l.constant) return std::nullopt;
        const std::optional<Scalar> s = scalarOf(*l.constant);
        return s ? std::optional<int64_t>(s->intValue()) : std::nullopt;
    };
    std::vector<int64_t> written;  // for messages
    for (const Lowered& t : target) written.push_back(constantOf(t).value_or(-1));
    if (rank < x->type.rank())
        ctx.fail("cannot expand a tensor of shape " + shapeText(x->type.shape) + " to fewer dimensions " + listText(written));
    x = withLeadingOnes(ctx, x, rank, name + "_rank");
    Shape reps;
    bool known = true;
    for (int64_t d = 0; d < rank && known; ++d) {
        const int64_t have = x->type.shape[d];
        const std::optional<int64_t> want = constantOf(target[d]);
        if (want && *want == -1) reps.push_back(1);
        else if (want && have == *want) reps.push_back(1);
        else if (want && have == 1) reps.push_back(*want);
        else if (want && have != mil::kUnknownDim)
            ctx.fail("cannot expand a tensor of shape " + shapeText(ctx.typeOf(node.inputs.at(0)).shape) + " to " +
                     listText(written) + " (only size-1 dimensions can grow)");
        else known = false;
    }
    if (known) {
        tileTo(ctx, node, x, reps);
        return;
    }
    std::vector<Lowered> sizes;
    for (int64_t d = 0; d < rank; ++d) {
        const std::optional<int64_t> want = constantOf(target[d]);
        sizes.push_back(want && *want == -1 ? dimOf(ctx, x, d, name) : target[d]);
    }
    mil::Builder& b = ctx.builder();
    mil::Value* shape = b.add1("shape", {{"x", {x}}}, name + "_have");
    mil::Value* runtimeReps = b.add1("floor_div", {{"x", {intVector(ctx, sizes, name + "_want")}}, {"y", {shape}}}, name + "_reps");
    emit(ctx, "tile", {{"x", {x}}, {"reps", {runtimeReps}}}, node.outputs.at(0));
}

void expand(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* size = node.inputs.at(1);
    const Lowered& l = ctx.lowered(size);
    if (l.tensor && !l.isList) ctx.fail("expand to a size given as one run-time tensor is not supported");
    expandToItems(ctx, node, elementsOf(ctx, size));
}

void expandAs(LowerContext& ctx, const ir::Node& node) {
    mil::Value* other = ctx.tensor(node.inputs.at(1));
    std::vector<Lowered> sizes;
    for (int64_t d = 0; d < other->type.rank(); ++d) sizes.push_back(dimOf(ctx, other, d, ctx.nameFor(node.outputs.at(0)) + "_like"));
    expandToItems(ctx, node, sizes);
}

void repeat(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::vector<int64_t> reps = ctx.intsArg(node.inputs.at(1));
    if (static_cast<int64_t>(reps.size()) < x->type.rank())
        ctx.fail("repeat needs at least one count per dimension (" + std::to_string(x->type.rank()) + "), got " +
                 std::to_string(reps.size()));
    if (std::any_of(reps.begin(), reps.end(), [](int64_t r) { return r <= 0; }))
        ctx.fail("repeat counts must be positive (empty tensors are not supported by Core ML)");
    x = withLeadingOnes(ctx, x, static_cast<int64_t>(reps.size()), ctx.nameFor(node.outputs.at(0)) + "_rank");
    tileTo(ctx, node, x, reps);
}

// Binds the node's output to x converted to `dtype`; constants are converted at conversion time.
void castTo(LowerContext& ctx, const ir::Node& node, DType dtype) {
    const ir::Value* in = node.inputs.at(0);
    if (ctx.isConstant(in)) {
        if (std::optional<Tensor> t = tensorOf(ctx.constant(in))) {
            if (std::holds_alternative<Tensor>(ctx.constant(in))) {
                ctx.bindConstant(node.outputs.at(0), t->castTo(dtype));
                return;
            }
        }
    }
    mil::Value* x = ctx.tensor(in);
    if (x->type.dtype == dtype) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "cast", {{"x", {x}}, {"dtype", {ctx.builder().constString(dtypeName(dtype), ctx.nameFor(node.outputs.at(0)) + "_dtype")}}},
         node.outputs.at(0));
}

// aten::to has overloads to(dtype, ...), to(device, dtype, ...), to(other, ...): find the dtype.
void to(LowerContext& ctx, const ir::Node& node) {
    for (size_t i = 1; i < node.inputs.size() && i <= 2; ++i) {
        const ir::Value* arg = node.inputs[i];
        if (arg->kind == ir::ValueKind::Tensor && !ctx.isConstant(arg)) {
            castTo(ctx, node, ctx.typeOf(arg).dtype);
            return;
        }
        if (!ctx.isConstant(arg)) continue;
        const ir::Constant& c = ctx.constant(arg);
        if (std::holds_alternative<int64_t>(c)) {
            castTo(ctx, node, dtypeFromTorchScalarType(ctx, std::get<int64_t>(c)));
            return;
        }
        if (std::holds_alternative<ir::NoneValue>(c) && i == 2) break;  // to(device, None): keeps the dtype
    }
    bindSame(ctx, node);
}

void typeAs(LowerContext& ctx, const ir::Node& node) { castTo(ctx, node, ctx.typeOf(node.inputs.at(1)).dtype); }


// unflatten(x, dim, sizes): dim split into sizes (one may be -1).
void unflatten(LowerContext& ctx, const ir::Node& node) {
    const Shape& in = ctx.typeOf(node.inputs.at(0)).shape;
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), static_cast<int64_t>(in.size()));
    std::vector<int64_t> sizes = ctx.intsArg(node.inputs.at(2));
    const int64_t n = in[static_cast<size_t>(dim)];
    if (std::count(sizes.begin(), sizes.end(), -1) > 1) ctx.fail("unflatten sizes " + listText(sizes) + " have more than one -1");
    int64_t known = 1;
    for (int64_t v : sizes)
        if (v != -1) known *= v;
    for (int64_t& v : sizes)
        if (v == -1) {
            if (n == mil::kUnknownDim || known == 0 || n % known != 0)
                ctx.fail("cannot unflatten a dimension of " + std::to_string(n) + " into " + listText(ctx.intsArg(node.inputs[2])));
            v = n / known;
        }
    if (n != mil::kUnknownDim && shapeNumel(sizes) != n)
        ctx.fail("cannot unflatten a dimension of " + std::to_string(n) + " into " + listText(sizes));
    Shape out(in.begin(), in.begin() + dim);
    out.insert(out.end(), sizes.begin(), sizes.end());
    out.insert(out.end(), in.begin() + dim + 1, in.end());
    emitReshape(ctx, node, out);
}

// numpy_T: all dims reversed.
void numpyT(LowerContext& ctx, const ir::Node& node) {
    const int64_t rank = ctx.typeOf(node.inputs.at(0)).rank();
    std::vector<int64_t> perm;
    for (int64_t d = rank - 1; d >= 0; --d) perm.push_back(d);
    emitTranspose(ctx, node, perm);
}

// atleast_1d/2d/3d: 0-D -> [1](,1)(,1); 1-D [n] -> [1, n] (2d, 3d: [1, n, 1]); 2-D [a, b] -> [a, b, 1] (3d).
Shape atLeast(const Shape& s, int n) {
    if (static_cast<int>(s.size()) >= n) return s;
    if (s.empty()) return Shape(static_cast<size_t>(n), 1);
    if (s.size() == 1) return n == 2 ? Shape{1, s[0]} : Shape{1, s[0], 1};
    return Shape{s[0], s[1], 1};
}

template <int N>
void atleast(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    const Lowered& l = ctx.lowered(in);
    if (!l.isList) {
        mil::Value* x = ctx.tensor(in);
        ctx.bind(out, reshapeTo(ctx, x, atLeast(x->type.shape, N), name));
        return;
    }
    // The .Sequence overload: each tensor of the list.
    Lowered list;
    list.isList = true;
    int i = 0;
    for (mil::Value* x : tensorsOf(ctx, in)) {
        Lowered item;
        item.tensor = reshapeTo(ctx, x, atLeast(x->type.shape, N), name + "_" + std::to_string(i++));
        list.items.push_back(item);
    }
    ctx.bindLowered(out, std::move(list));
}

// _shape_as_tensor(x): the shape as a 1-D integer tensor, a constant when the shape is fixed.
void shapeAsTensor(LowerContext& ctx, const ir::Node& node) {
    const mil::TensorType& t = ctx.typeOf(node.inputs.at(0));
    if (t.isStatic()) {
        ctx.bindConstant(node.outputs.at(0), Tensor::fromInts(t.shape, {t.rank()}));
        return;
    }
    emit(ctx, "shape", {{"x", {ctx.tensor(node.inputs.at(0))}}}, node.outputs.at(0));
}

// _reshape_from_tensor(x, shape): a reshape to a shape given as a tensor known at conversion time.
void reshapeFromTensor(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* shape = node.inputs.at(1);
    if (!ctx.isConstant(shape))
        ctx.fail("_reshape_from_tensor with a shape computed at run time is not supported",
                 "give the model fixed input shapes so the target shape is known when converting");
    emitReshape(ctx, node, ctx.intsArg(shape));
}

// tile(x, dims): repeat with dims padded by leading 1s to x's rank.
void tile(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    std::vector<int64_t> reps = ctx.intsArg(node.inputs.at(1));
    if (static_cast<int64_t>(reps.size()) < x->type.rank()) reps.insert(reps.begin(), x->type.rank() - reps.size(), 1);
    if (std::any_of(reps.begin(), reps.end(), [](int64_t r) { return r <= 0; }))
        ctx.fail("tile counts must be positive (empty tensors are not supported by Core ML), got " + listText(reps));
    x = withLeadingOnes(ctx, x, static_cast<int64_t>(reps.size()), ctx.nameFor(node.outputs.at(0)) + "_rank");
    tileTo(ctx, node, x, reps);
}

}  // namespace

void registerShapeTranslators(TranslatorTable& t) {
    t.add({"aten::view", "aten::reshape", "aten::_unsafe_view", "aten::_reshape_alias"}, view);
    t.add({"aten::view_as", "aten::reshape_as"}, viewAs);
    t.add({"aten::flatten"}, flatten);
    t.add({"aten::permute"}, permute);
    t.add({"aten::transpose", "aten::transpose_", "aten::swapaxes", "aten::swapdims"}, transpose);
    t.add({"aten::t", "aten::t_"}, matrixTranspose);
    t.add({"aten::unsqueeze", "aten::unsqueeze_"}, unsqueeze);
    t.add({"aten::squeeze", "aten::squeeze_"}, squeeze);
    t.add({"aten::expand"}, expand);
    t.add({"aten::expand_as"}, expandAs);
    t.add({"aten::repeat"}, repeat);
    t.add({"aten::to", "aten::_to_copy"}, to);
    t.add({"aten::type_as"}, typeAs);
    t.add({"aten::unflatten"}, unflatten);
    t.add({"aten::numpy_T"}, numpyT);
    t.add({"aten::atleast_1d"}, atleast<1>);
    t.add({"aten::atleast_2d"}, atleast<2>);
    t.add({"aten::atleast_3d"}, atleast<3>);
    t.add({"aten::_shape_as_tensor"}, shapeAsTensor);
    t.add({"aten::_reshape_from_tensor"}, reshapeFromTensor);
    t.add({"aten::tile"}, tile);
    // Identities in eval mode (dropout, stochastic depth's scaling) or for a value graph (copies).
    t.add({"aten::contiguous", "aten::detach", "aten::detach_", "aten::clone", "aten::dropout", "aten::dropout_",
           "aten::feature_dropout", "aten::feature_dropout_", "aten::alpha_dropout", "aten::alpha_dropout_",
           "aten::feature_alpha_dropout", "aten::feature_alpha_dropout_", "aten::lift_fresh", "aten::alias",
           "aten::copy", "prim::data"},
          bindSame);
}

}  // namespace cms::lower
