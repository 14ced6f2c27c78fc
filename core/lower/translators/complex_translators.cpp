// Complex numbers: torch.complex, polar, real, imag, view_as_real, and the complex forms of abs,
// add, sub and mul. Core ML has no complex tensors, so a complex value is lowered as a pair of fp32
// tensors (real, imaginary) and every op on it becomes real arithmetic on the pair; a complex value
// that reaches an op without a complex form, or a model output, fails with a message naming it.
#include "lower/translators/complex_translators.h"

#include <algorithm>

#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

std::string producerLabel(const ir::Node* n) {
    if (!n) return "an unknown node";
    return n->prov.sourceOp.empty() ? n->kind + " at " + n->prov.describe() : n->prov.describe();
}

mil::Value* binary(LowerContext& ctx, const char* op, mil::Value* x, mil::Value* y, const std::string& name) {
    return ctx.builder().add1(op, {{"x", {x}}, {"y", {y}}}, name);
}

// x repeated to `shape` by numpy broadcasting (static shapes): a reshape to the target rank and a tile.
mil::Value* broadcastTo(LowerContext& ctx, mil::Value* x, const Shape& shape, const std::string& name) {
    if (x->type.shape == shape) return x;
    if (!x->type.isStatic() || shapeNumel(shape) < 0 || x->type.rank() > static_cast<int64_t>(shape.size()))
        ctx.fail("cannot broadcast a complex part of shape " + shapeText(x->type.shape) + " to " + shapeText(shape));
    Shape padded(shape.size() - x->type.shape.size(), 1);
    padded.insert(padded.end(), x->type.shape.begin(), x->type.shape.end());
    std::vector<int64_t> reps;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (padded[i] != shape[i] && padded[i] != 1)
            ctx.fail("cannot broadcast a complex part of shape " + shapeText(x->type.shape) + " to " + shapeText(shape));
        reps.push_back(padded[i] == shape[i] ? 1 : shape[i]);
    }
    mil::Value* r = reshapeTo(ctx, x, padded, name + "_rank");
    mil::Builder& b = ctx.builder();
    return b.add1("tile", {{"x", {r}}, {"reps", {b.constInts(reps, name + "_reps")}}}, name);
}

// Both parts of a complex result brought to one shape (a real operand may have broadcast only one).
void bindBroadcast(LowerContext& ctx, const ir::Value* out, mil::Value* re, mil::Value* im) {
    const std::string name = ctx.nameFor(out);
    if (re->type.shape != im->type.shape) {
        if (!re->type.isStatic() || !im->type.isStatic())
            ctx.fail("complex parts of run-time shapes " + shapeText(re->type.shape) + " and " + shapeText(im->type.shape));
        const Shape& a = re->type.shape;
        const Shape& c = im->type.shape;
        Shape shape(std::max(a.size(), c.size()), 1);
        for (size_t i = 0; i < shape.size(); ++i) {
            const int64_t da = i < shape.size() - a.size() ? 1 : a[i - (shape.size() - a.size())];
            const int64_t dc = i < shape.size() - c.size() ? 1 : c[i - (shape.size() - c.size())];
            shape[i] = std::max(da, dc);
        }
        re = broadcastTo(ctx, re, shape, name + "_real_b");
        im = broadcastTo(ctx, im, shape, name + "_imag_b");
    }
    bindComplex(ctx, out, re, im);
}

// torch.complex(real, imag): two float tensors of one shape (or broadcastable) as one value.
void complexFromParts(LowerContext& ctx, const ir::Node& node) {
    mil::Value* re = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    mil::Value* im = ctx.tensorAs(node.inputs.at(1), DType::Float32);
    bindBroadcast(ctx, node.outputs.at(0), re, im);
}

// torch.polar(abs, angle) = abs * (cos(angle) + i sin(angle)).
void polar(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* r = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    mil::Value* angle = ctx.tensorAs(node.inputs.at(1), DType::Float32);
    mil::Value* c = b.add1("cos", {{"x", {angle}}}, name + "_cos");
    mil::Value* s = b.add1("sin", {{"x", {angle}}}, name + "_sin");
    bindBroadcast(ctx, node.outputs.at(0), binary(ctx, "mul", r, c, name + "_real"), binary(ctx, "mul", r, s, name + "_imag"));
}

// x.real: the real part; a real tensor is its own real part.
void realPart(LowerContext& ctx, const ir::Node& node) {
    if (!isComplex(ctx, node.inputs.at(0))) {
        bindSame(ctx, node);
        return;
    }
    ctx.bind(node.outputs.at(0), complexOperand(ctx, node.inputs.at(0)).real);
}

// x.imag: torch defines it for complex tensors only.
void imagPart(LowerContext& ctx, const ir::Node& node) {
    if (!isComplex(ctx, node.inputs.at(0)))
        ctx.fail("imag is defined for complex tensors only, and '" + node.inputs.at(0)->name + "' is real",
                 "a real tensor has no imaginary part; use zeros_like(x) if that is what is meant");
    ctx.bind(node.outputs.at(0), complexOperand(ctx, node.inputs.at(0)).imag);
}

// view_as_real: [..., 2] holding (real, imag) in the last dimension.
void viewAsReal(LowerContext& ctx, const ir::Node& node) {
    if (!isComplex(ctx, node.inputs.at(0)))
        ctx.fail("view_as_real takes a complex tensor, and '" + node.inputs.at(0)->name + "' is real");
    const ComplexOperand c = complexOperand(ctx, node.inputs.at(0));
    mil::Builder& b = ctx.builder();
    emit(ctx, "stack", {{"values", {c.real, c.imag}}, {"axis", {b.constInt(-1)}}}, node.outputs.at(0));
}

// |z| = sqrt(re^2 + im^2).
void complexAbs(LowerContext& ctx, const ir::Node& node) {
    const ComplexOperand c = complexOperand(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* sum = binary(ctx, "add", binary(ctx, "mul", c.real, c.real, name + "_re2"),
                             binary(ctx, "mul", c.imag, c.imag, name + "_im2"), name + "_norm2");
    emit(ctx, "sqrt", {{"x", {sum}}}, node.outputs.at(0));
}

// add/sub(x, y, alpha): part by part; a real operand has no imaginary part to add.
void complexAddSub(LowerContext& ctx, const ir::Node& node, bool subtract) {
    const ComplexOperand x = complexOperand(ctx, node.inputs.at(0));
    ComplexOperand y = complexOperand(ctx, node.inputs.at(1));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    double alpha = node.inputs.size() > 2 ? ctx.floatArg(node.inputs[2]) : 1.0;
    if (subtract) alpha = -alpha;
    auto scaled = [&](mil::Value* v, const std::string& part) {
        return alpha == 1.0 ? v : binary(ctx, "mul", v, ctx.builder().constFloat(static_cast<float>(alpha), name + "_alpha"), name + part);
    };
    mil::Value* re = binary(ctx, "add", x.real, scaled(y.real, "_y_real"), name + "_real");
    mil::Value* im = nullptr;
    if (x.imag && y.imag) im = binary(ctx, "add", x.imag, scaled(y.imag, "_y_imag"), name + "_imag");
    else im = x.imag ? x.imag : scaled(y.imag, "_imag");
    bindBroadcast(ctx, node.outputs.at(0), re, im);
}

// (a + ib)(c + id) = (ac - bd) + i(ad + bc); with a real factor, both parts are scaled.
void complexMul(LowerContext& ctx, const ir::Node& node) {
    const ComplexOperand x = complexOperand(ctx, node.inputs.at(0));
    const ComplexOperand y = complexOperand(ctx, node.inputs.at(1));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value *re = nullptr, *im = nullptr;
    if (x.imag && y.imag) {
        re = binary(ctx, "sub", binary(ctx, "mul", x.real, y.real, name + "_ac"), binary(ctx, "mul", x.imag, y.imag, name + "_bd"),
                    name + "_real");
        im = binary(ctx, "add", binary(ctx, "mul", x.real, y.imag, name + "_ad"), binary(ctx, "mul", x.imag, y.real, name + "_bc"),
                    name + "_imag");
    } else {
        const ComplexOperand& c = x.imag ? x : y;
        mil::Value* factor = x.imag ? y.real : x.real;
        re = binary(ctx, "mul", c.real, factor, name + "_real");
        im = binary(ctx, "mul", c.imag, factor, name + "_imag");
    }
    bindBroadcast(ctx, node.outputs.at(0), re, im);
}

}  // namespace

bool isComplex(const LowerContext& ctx, const ir::Value* v) {
    return ctx.isLowered(v) && ctx.lowered(v).complex.has_value();
}

ComplexOperand complexOperand(LowerContext& ctx, const ir::Value* v) {
    if (isComplex(ctx, v)) {
        const ComplexParts& p = *ctx.lowered(v).complex;
        return {p.real, p.imag};
    }
    return {ctx.tensorAs(v, DType::Float32), nullptr};
}

void bindComplex(LowerContext& ctx, const ir::Value* out, mil::Value* real, mil::Value* imag) {
    Lowered l;
    l.complex = ComplexParts{real, imag, producerLabel(ctx.currentNode())};
    ctx.bindLowered(out, std::move(l));
}

bool translateComplexNode(LowerContext& ctx, const ir::Node& node) {
    bool anyComplex = false;
    for (const ir::Value* in : node.inputs) anyComplex = anyComplex || isComplex(ctx, in);
    if (!anyComplex) return false;
    const std::string base = node.kind.substr(0, node.kind.find('.'));
    if (base == "aten::abs") complexAbs(ctx, node);
    else if (base == "aten::add") complexAddSub(ctx, node, false);
    else if (base == "aten::sub") complexAddSub(ctx, node, true);
    else if (base == "aten::mul") complexMul(ctx, node);
    else return false;
    return true;
}

void registerComplexTranslators(TranslatorTable& t) {
    t.add({"aten::complex"}, complexFromParts);
    t.add({"aten::polar"}, polar);
    t.add({"aten::real"}, realPart);
    t.add({"aten::imag"}, imagPart);
    t.add({"aten::view_as_real"}, viewAsReal);
}

}  // namespace cms::lower
