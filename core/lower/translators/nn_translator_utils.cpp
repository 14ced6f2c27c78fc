#include "lower/translators/nn_translator_utils.h"

#include <cstring>

#include "lower/constant_values.h"

namespace cms::lower {

bool hasArg(const LowerContext& ctx, const ir::Node& node, size_t i) {
    return i < node.inputs.size() && !ctx.isNone(node.inputs[i]);
}

std::vector<int64_t> perSpatialDim(const LowerContext& ctx, const ir::Value* v, size_t n, const std::string& what) {
    std::vector<int64_t> l = ctx.intsArg(v);
    if (l.size() == 1) l.assign(n, l[0]);
    if (l.size() != n)
        ctx.fail(what + " has " + std::to_string(l.size()) + " values, but the op has " + std::to_string(n) +
                 " spatial dimensions");
    return l;
}

Tensor constantTensor(const LowerContext& ctx, const ir::Value* v, const std::string& what) {
    std::optional<Tensor> t = ctx.isConstant(v) ? tensorOf(ctx.constant(v)) : std::nullopt;
    if (!t)
        ctx.fail(what + " must be known at conversion time (a parameter or buffer of the module)",
                 "keep this tensor a module parameter or buffer instead of computing it in forward()");
    return *t;
}

mil::Value* scalarConst(LowerContext& ctx, double v, DType dtype, const std::string& name) {
    return ctx.builder().constant(Tensor::fromFloats({static_cast<float>(v)}, {}).castTo(dtype), name);
}

mil::Value* floatsConst(LowerContext& ctx, const std::vector<float>& v, DType dtype, const std::string& name) {
    return ctx.builder().constant(Tensor::fromFloats(v, {static_cast<int64_t>(v.size())}).castTo(dtype), name);
}

Tensor transposed2d(const Tensor& t) {
    const int64_t rows = t.shape().at(0), cols = t.shape().at(1);
    const size_t elem = static_cast<size_t>(dtypeBits(t.dtype()) / 8);
    std::vector<uint8_t> out(t.nbytes());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            std::memcpy(&out[(c * rows + r) * elem], t.bytes() + (r * cols + c) * elem, elem);
    return Tensor(t.dtype(), {cols, rows}, std::move(out));
}

Shape staticShape(const LowerContext& ctx, const mil::Value* v, const std::string& what) {
    for (int64_t d : v->type.shape)
        if (d == mil::kUnknownDim)
            ctx.fail(what + " needs a fixed input shape, got " + v->type.toString(),
                     "give the model inputs fixed shapes in the conversion settings");
    return v->type.shape;
}

}  // namespace cms::lower
