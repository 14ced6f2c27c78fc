// Matrix products: linear, addmm, matmul, mm, bmm. A product with a constant matrix becomes
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
    mil::Value* product = b.add1("matmul", {{"x", {l}}, {"y", {r}}}, name + "_matmul");
    const DType pd = product->type.dtype;
    if (alpha != 1.0) product = b.add1("mul", {{"x", {product}}, {"y", {scalarConst(ctx, alpha, pd, name + "_alpha")}}}, name + "_scaled");
    if (beta == 0.0) {
        ctx.bind(node.outputs[0], product);
        return;
    }
    mil::Value* s = ctx.tensorAs(self, pd);
    if (beta != 1.0) s = b.add1("mul", {{"x", {s}}, {"y", {scalarConst(ctx, beta, pd, name + "_beta")}}}, name + "_input_scaled");
    emit(ctx, "add", {{"x", {s}}, {"y", {product}}}, node.outputs[0]);
}

}  // namespace

void registerLinearTranslators(TranslatorTable& t) {
    t.add({"aten::linear"}, linear);
    t.add({"aten::matmul", "aten::mm", "aten::bmm"}, matmul);
    t.add({"aten::addmm"}, addmm);
}

}  // namespace cms::lower
