// torch.nn.functional forms without a Core ML layer of their own, composed from elementwise and
// reduction ops: glu, threshold, softsign, rrelu (inference), native_dropout (inference) and
// cosine_similarity.
#include <cmath>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

namespace cms::lower {

namespace {

mil::Value* floatInput(LowerContext& ctx, const ir::Value* v, const std::string& op) {
    mil::Value* x = ctx.tensor(v);
    if (!isFloat(x->type.dtype))
        ctx.fail(op + " needs a float tensor, got " + x->type.toString(), "cast the input to float first");
    return x;
}

// glu(input, dim=-1): the first half of `dim` gated by the sigmoid of the second half.
void glu(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node.inputs.at(0), "glu");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t rank = x->type.rank();
    const int64_t dim = normalizeDim(ctx, hasArg(ctx, node, 1) ? ctx.intArg(node.inputs[1]) : -1, rank);
    const int64_t size = x->type.shape[static_cast<size_t>(dim)];
    if (size == mil::kUnknownDim || size % 2 != 0)
        ctx.fail("glu halves dimension " + std::to_string(dim) + " of " + x->type.toString() + ", which must be even");
    mil::Value* a = sliceAxis(ctx, x, dim, 0, size / 2, name + "_value");
    mil::Value* g = sliceAxis(ctx, x, dim, size / 2, size, name + "_gate_in");
    mil::Value* gate = ctx.builder().add1("sigmoid", {{"x", {g}}}, name + "_gate");
    emit(ctx, "mul", {{"x", {a}}, {"y", {gate}}}, node.outputs[0]);
}

// threshold(input, threshold, value): x where x > threshold, else value.
void threshold(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node.inputs.at(0), "threshold");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType dtype = x->type.dtype;
    mil::Value* above = ctx.builder().add1(
        "greater", {{"x", {x}}, {"y", {scalarConst(ctx, ctx.floatArg(node.inputs.at(1)), dtype, name + "_threshold")}}},
        name + "_above");
    emit(ctx, "select",
         {{"cond", {above}}, {"a", {x}}, {"b", {scalarConst(ctx, ctx.floatArg(node.inputs.at(2)), dtype, name + "_value")}}},
         node.outputs[0]);
}

void softsign(LowerContext& ctx, const ir::Node& node) {
    emit(ctx, "softsign", {{"x", {floatInput(ctx, node.inputs.at(0), "softsign")}}}, node.outputs.at(0));
}

// rrelu(input, lower, upper, training, generator): at inference a leaky ReLU with the mean slope.
void rrelu(LowerContext& ctx, const ir::Node& node) {
    if (hasArg(ctx, node, 3) && ctx.boolArg(node.inputs[3]))
        ctx.fail("rrelu in training mode draws random slopes", "call model.eval() before tracing the model");
    mil::Value* x = floatInput(ctx, node.inputs.at(0), "rrelu");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const double lower = hasArg(ctx, node, 1) ? ctx.floatArg(node.inputs[1]) : 1.0 / 8.0;
    const double upper = hasArg(ctx, node, 2) ? ctx.floatArg(node.inputs[2]) : 1.0 / 3.0;
    mil::Value* positive = withScalar(ctx, "greater_equal", x, 0.0, name + "_positive");
    mil::Value* scaled = withScalar(ctx, "mul", x, (lower + upper) / 2.0, name + "_scaled");
    emit(ctx, "select", {{"cond", {positive}}, {"a", {x}}, {"b", {scaled}}}, node.outputs[0]);
}

// native_dropout(input, p, train) -> (output, mask): the identity at inference, every element kept.
void nativeDropout(LowerContext& ctx, const ir::Node& node) {
    if (hasArg(ctx, node, 2) && ctx.boolArg(node.inputs[2]))
        ctx.fail("native_dropout in training mode drops random elements", "call model.eval() before tracing the model");
    bindSame(ctx, node);
    if (node.outputs.size() > 1) {
        mil::Value* x = ctx.tensor(node.inputs.at(0));
        const Shape shape = staticShape(ctx, x, "native_dropout's mask");
        ctx.bind(node.outputs[1], ctx.builder().constant(Tensor::fromBools(std::vector<bool>(size_t(shapeNumel(shape)), true), shape),
                                                         ctx.nameFor(node.outputs[1])));
    }
}

// cosine_similarity(x1, x2, dim=1, eps=1e-8): sum(x1 * x2) / (max(|x1|, eps) * max(|x2|, eps)),
// the inputs broadcast against each other first.
void cosineSimilarity(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x1 = floatInput(ctx, node.inputs.at(0), "cosine_similarity");
    mil::Value* x2 = floatInput(ctx, node.inputs.at(1), "cosine_similarity");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (x1->type.shape != x2->type.shape) {
        // x + 0 * y broadcasts x to the common shape without changing its values.
        mil::Value* x1b = binary(ctx, "add", x1, withScalar(ctx, "mul", x2, 0.0, name + "_zeros1"), name + "_x1");
        mil::Value* x2b = binary(ctx, "add", x2, withScalar(ctx, "mul", x1, 0.0, name + "_zeros2"), name + "_x2");
        x1 = x1b;
        x2 = x2b;
    }
    const int64_t rank = x1->type.rank();
    const int64_t dim = normalizeDim(ctx, hasArg(ctx, node, 2) ? ctx.intArg(node.inputs[2]) : 1, rank);
    const double eps = hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : 1e-8;
    auto sumOver = [&](mil::Value* v, const std::string& n) {
        return b.add1("reduce_sum",
                      {{"x", {v}}, {"axes", {b.constInts({dim}, n + "_axes")}}, {"keep_dims", {b.constBool(false, n + "_keep")}}},
                      n);
    };
    auto norm = [&](mil::Value* v, const std::string& n) {
        mil::Value* sq = sumOver(binary(ctx, "mul", v, v, n + "_sq"), n + "_sumsq");
        mil::Value* len = b.add1("sqrt", {{"x", {sq}}}, n + "_len");
        return withScalar(ctx, "maximum", len, eps, n);
    };
    mil::Value* dot = sumOver(binary(ctx, "mul", x1, x2, name + "_prod"), name + "_dot");
    mil::Value* denom = binary(ctx, "mul", norm(x1, name + "_norm1"), norm(x2, name + "_norm2"), name + "_denom");
    emit(ctx, "real_div", {{"x", {dot}}, {"y", {denom}}}, node.outputs[0]);
}

}  // namespace

void registerNnFunctionalTranslators(TranslatorTable& t) {
    t.add({"aten::glu"}, glu);
    t.add({"aten::threshold", "aten::threshold_"}, threshold);
    t.add({"aten::softsign"}, softsign);
    t.add({"aten::rrelu", "aten::rrelu_"}, rrelu);
    t.add({"aten::native_dropout"}, nativeDropout);
    t.add({"aten::cosine_similarity"}, cosineSimilarity);
}

}  // namespace cms::lower
