// Matrix and vector products: linear, addmm, baddbmm, matmul, mm, bmm, mv, dot, vecdot, outer and
// cross. A product with a constant matrix becomes
// Core ML's linear (weights stored transposed at conversion time); the rest become matmul.
#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Both operands in one dtype, as matmul requires: the float one wins, else int32.
std::pair<mil::Value*, mil::Value*> sameDtype(LowerContext& ctx, const ir::Value* a, const ir::Value* b) {
    mil::Value* x = ctx.tensor(a);
    mil::Value* y = ctx.tensor(b);
    if (x->type.dtype == y->type.dtype) return {x, y};
    const DType d = isFloat(x->type.dtype) ? x->type.dtype : isFloat(y->type.dtype) ? y->type.dtype : DType::Int32;
    return {ctx.tensorAs(a, d), ctx.tensorAs(b, d)};
}

bool isConstMatrix(const LowerContext& ctx, const ir::Value* v) {
    if (!ctx.isConstant(v)) return false;
    std::optional<Tensor> t = tensorOf(ctx.constant(v));
    return t && t->rank() == 2 && isFloat(t->dtype());
}

// x @ w + bias where w ([in, out]) is a constant matrix: Core ML's linear takes [out, in].
mil::Value* linearWithConstMatrix(LowerContext& ctx, mil::Value* x, const ir::Value* matrix, mil::Value* bias,
                                  const std::string& name) {
    const Tensor w = transposed2d(constantTensor(ctx, matrix, "weight").castTo(x->type.dtype));
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"weight", {ctx.builder().constant(w, name + "_weight")}}};
    if (bias) inputs.push_back({"bias", {bias}});
    return ctx.builder().add1("linear", std::move(inputs), name);
}

// linear(input, weight, bias)
void linear(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    const ir::Value* w = node.inputs.at(1);
    const bool hasBias = hasArg(ctx, node, 2);
    if (ctx.isConstant(w) && (!hasBias || ctx.isConstant(node.inputs[2]))) {
        std::vector<mil::OpInput> inputs = {{"x", {x}}, {"weight", {ctx.tensorAs(w, dtype)}}};
        if (hasBias) inputs.push_back({"bias", {ctx.tensorAs(node.inputs[2], dtype)}});
        emit(ctx, "linear", std::move(inputs), node.outputs.at(0));
        return;
    }
    // A computed weight: x @ w^T (+ bias).
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"y", {ctx.tensorAs(w, dtype)}}, {"transpose_y", {b.constBool(true, name + "_transpose_y")}}};
    if (!hasBias) {
        emit(ctx, "matmul", std::move(inputs), node.outputs[0]);
        return;
    }
    mil::Value* product = b.add1("matmul", std::move(inputs), name + "_matmul");
    emit(ctx, "add", {{"x", {product}}, {"y", {ctx.tensorAs(node.inputs[2], dtype)}}}, node.outputs[0]);
}

// matmul/mm/bmm(input, other)
void matmul(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* a = node.inputs.at(0);
    const ir::Value* bv = node.inputs.at(1);
    mil::Value* x = ctx.tensor(a);
    if (isFloat(x->type.dtype) && x->type.rank() >= 1 && x->type.rank() <= 3 && isConstMatrix(ctx, bv)) {
        ctx.bind(node.outputs.at(0), linearWithConstMatrix(ctx, x, bv, nullptr, ctx.nameFor(node.outputs[0])));
        return;
    }
    auto [l, r] = sameDtype(ctx, a, bv);
    emit(ctx, "matmul", {{"x", {l}}, {"y", {r}}}, node.outputs.at(0));
}

// beta * self + alpha * product (addmm and baddbmm once the product is made).
void scaledSum(LowerContext& ctx, const ir::Node& node, mil::Value* product, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const double beta = hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : 1.0;
    const double alpha = hasArg(ctx, node, 4) ? ctx.floatArg(node.inputs[4]) : 1.0;
    const DType pd = product->type.dtype;
    if (alpha != 1.0) product = b.add1("mul", {{"x", {product}}, {"y", {scalarConst(ctx, alpha, pd, name + "_alpha")}}}, name + "_scaled");
    // beta == 0 ignores self entirely (even NaN in it), as torch does.
    if (beta == 0.0) {
        ctx.bind(node.outputs[0], product);
        return;
    }
    mil::Value* s = ctx.tensorAs(node.inputs.at(0), pd);
    if (beta != 1.0) s = b.add1("mul", {{"x", {s}}, {"y", {scalarConst(ctx, beta, pd, name + "_beta")}}}, name + "_input_scaled");
    emit(ctx, "add", {{"x", {s}}, {"y", {product}}}, node.outputs[0]);
}

// addmm(self, mat1, mat2, beta=1, alpha=1) = beta * self + alpha * (mat1 @ mat2)
void addmm(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const double beta = hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : 1.0;
    const double alpha = hasArg(ctx, node, 4) ? ctx.floatArg(node.inputs[4]) : 1.0;
    mil::Value* x = ctx.tensor(node.inputs.at(1));
    const DType dtype = x->type.dtype;
    const ir::Value* self = node.inputs.at(0);
    const ir::Value* mat2 = node.inputs.at(2);
    // The traced nn.Linear form: addmm(bias, x, weight.t()) with constant bias and weight.
    if (beta == 1.0 && alpha == 1.0 && isFloat(dtype) && isConstMatrix(ctx, mat2) && ctx.isConstant(self)) {
        std::optional<Tensor> bias = tensorOf(ctx.constant(self));
        const int64_t out = constantTensor(ctx, mat2, "mat2").shape()[1];
        if (bias && (bias->rank() == 1 || (bias->rank() == 2 && bias->shape()[0] == 1)) && bias->numel() == out) {
            mil::Value* biasConst = b.constant(bias->castTo(dtype).reshaped({out}), name + "_bias");
            ctx.bind(node.outputs[0], linearWithConstMatrix(ctx, x, mat2, biasConst, name));
            return;
        }
    }
    auto [l, r] = sameDtype(ctx, node.inputs[1], mat2);
    scaledSum(ctx, node, b.add1("matmul", {{"x", {l}}, {"y", {r}}}, name + "_matmul"), name);
}
// numpy broadcasting of two static shapes; fails the node when they do not broadcast.
Shape broadcastShape(const LowerContext& ctx, const Shape& a, const Shape& b) {
    Shape out(std::max(a.size(), b.size()), 1);
    for (size_t i = 0; i < out.size(); ++i) {
        const int64_t p = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
        const int64_t q = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
        if (p != q && p != 1 && q != 1) ctx.fail("shapes " + shapeText(a) + " and " + shapeText(b) + " do not broadcast");
        out[i] = p == 1 ? q : p;
    }
    return out;
}

// baddbmm(self, batch1, batch2, beta=1, alpha=1) = beta * self + alpha * (batch1 @ batch2)
void baddbmm(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    auto [l, r] = sameDtype(ctx, node.inputs.at(1), node.inputs.at(2));
    if (l->type.rank() != 3 || r->type.rank() != 3)
        ctx.fail("baddbmm multiplies two 3-D batches, got " + l->type.toString() + " and " + r->type.toString());
    scaledSum(ctx, node, ctx.builder().add1("matmul", {{"x", {l}}, {"y", {r}}}, name + "_matmul"), name);
}

// mv(matrix, vector): matmul with a 1-D right operand.
void mv(LowerContext& ctx, const ir::Node& node) {
    auto [m, v] = sameDtype(ctx, node.inputs.at(0), node.inputs.at(1));
    if (m->type.rank() != 2 || v->type.rank() != 1)
        ctx.fail("mv multiplies a matrix by a vector, got " + m->type.toString() + " and " + v->type.toString());
    emit(ctx, "matmul", {{"x", {m}}, {"y", {v}}}, node.outputs.at(0));
}

// The sum of x * y along `dim` (dot and linalg_vecdot of real tensors).
void sumOfProducts(LowerContext& ctx, const ir::Node& node, int64_t dim) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    auto [x, y] = sameDtype(ctx, node.inputs.at(0), node.inputs.at(1));
    mil::Builder& b = ctx.builder();
    mil::Value* p = b.add1("mul", {{"x", {x}}, {"y", {y}}}, name + "_product");
    const int64_t axis = normalizeDim(ctx, dim, p->type.rank());
    emit(ctx, "reduce_sum", {{"x", {p}}, {"axes", {b.constInts({axis}, name + "_axes")}}, {"keep_dims", {b.constBool(false, name + "_keep_dims")}}},
         node.outputs[0]);
}

// dot(a, b): two 1-D tensors of one length.
void dot(LowerContext& ctx, const ir::Node& node) {
    const mil::TensorType& a = ctx.typeOf(node.inputs.at(0));
    const mil::TensorType& b = ctx.typeOf(node.inputs.at(1));
    if (a.rank() != 1 || b.rank() != 1 || (a.isStatic() && b.isStatic() && a.shape != b.shape))
        ctx.fail("dot takes two 1-D tensors of the same length, got " + a.toString() + " and " + b.toString());
    sumOfProducts(ctx, node, 0);
}

// linalg_vecdot(x, y, dim=-1): the dot product along dim, with broadcasting.
void linalgVecdot(LowerContext& ctx, const ir::Node& node) {
    sumOfProducts(ctx, node, node.inputs.size() > 2 ? ctx.intArg(node.inputs[2]) : -1);
}

// outer(a, b) = a[:, None] * b[None, :]
void outer(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    auto [a, b] = sameDtype(ctx, node.inputs.at(0), node.inputs.at(1));
    if (a->type.rank() != 1 || b->type.rank() != 1)
        ctx.fail("outer takes two 1-D tensors, got " + a->type.toString() + " and " + b->type.toString());
    mil::Builder& bd = ctx.builder();
    mil::Value* col = bd.add1("expand_dims", {{"x", {a}}, {"axes", {bd.constInts({1}, name + "_col_axes")}}}, name + "_col");
    mil::Value* row = bd.add1("expand_dims", {{"x", {b}}, {"axes", {bd.constInts({0}, name + "_row_axes")}}}, name + "_row");
    emit(ctx, col->type.dtype == DType::Bool ? "logical_and" : "mul", {{"x", {col}}, {"y", {row}}}, node.outputs[0]);
}

// cross(a, b, dim=None) / linalg_cross(a, b, dim=-1): c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1} along a
// dim of size 3, with the components rotated by gathers. Without a dim torch takes the first of size 3.
void cross(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    auto [a, b] = sameDtype(ctx, node.inputs.at(0), node.inputs.at(1));
    const Shape shape = broadcastShape(ctx, a->type.shape, b->type.shape);
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t dim = -1;
    if (hasArg(ctx, node, 2)) {
        dim = normalizeDim(ctx, ctx.intArg(node.inputs[2]), rank);
    } else if (node.kind.find("linalg") != std::string::npos) {
        dim = rank - 1;
    } else {
        for (int64_t d = 0; d < rank && dim < 0; ++d)
            if (shape[d] == 3) dim = d;
        if (dim < 0) ctx.fail("cross without dim needs a dimension of size 3, got " + shapeText(shape));
    }
    if (shape[dim] != 3) ctx.fail("cross needs size 3 along dim " + std::to_string(dim) + ", got " + shapeText(shape));
    mil::Builder& bd = ctx.builder();
    auto rotate = [&](mil::Value* v, int64_t by, const std::string& what) {
        const int64_t axis = dim - (rank - v->type.rank());
        if (axis < 0 || v->type.shape[axis] != 3)
            ctx.fail("cross needs both inputs of size 3 along dim " + std::to_string(dim));
        std::vector<int64_t> order = {by % 3, (by + 1) % 3, (by + 2) % 3};
        return bd.add1("gather", {{"x", {v}}, {"indices", {bd.constInts(order, name + "_" + what + "_order")}},
                                  {"axis", {bd.constInt(axis, name + "_" + what + "_axis")}}},
                       name + "_" + what);
    };
    mil::Value* first = bd.add1("mul", {{"x", {rotate(a, 1, "a1")}}, {"y", {rotate(b, 2, "b2")}}}, name + "_first");
    mil::Value* second = bd.add1("mul", {{"x", {rotate(a, 2, "a2")}}, {"y", {rotate(b, 1, "b1")}}}, name + "_second");
    emit(ctx, "sub", {{"x", {first}}, {"y", {second}}}, node.outputs[0]);
}

}  // namespace

void registerLinearTranslators(TranslatorTable& t) {
    t.add({"aten::linear"}, linear);
    t.add({"aten::matmul", "aten::mm", "aten::bmm"}, matmul);
    t.add({"aten::addmm"}, addmm);
    t.add({"aten::baddbmm", "aten::baddbmm_"}, baddbmm);
    t.add({"aten::mv"}, mv);
    t.add({"aten::dot"}, dot);
    t.add({"aten::linalg_vecdot"}, linalgVecdot);
    t.add({"aten::outer", "aten::ger"}, outer);
    t.add({"aten::cross", "aten::linalg_cross"}, cross);
}

}  // namespace cms::lower
