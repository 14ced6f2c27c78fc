#include "lower/translators/translator_utils.h"

#include "lower/constant_values.h"

namespace cms::lower {

int64_t normalizeDim(const LowerContext& ctx, int64_t dim, int64_t rank) {
    const int64_t d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank)
        ctx.fail("dimension " + std::to_string(dim) + " is out of range for a tensor of rank " + std::to_string(rank));
    return d;
}

mil::Value* emit(LowerContext& ctx, const std::string& type, std::vector<mil::OpInput> inputs, const ir::Value* out) {
    mil::Value* v = ctx.builder().add1(type, std::move(inputs), ctx.nameFor(out));
    ctx.bind(out, v);
    return v;
}

void bindSame(LowerContext& ctx, const ir::Node& node) { ctx.bindLowered(node.outputs.at(0), ctx.lowered(node.inputs.at(0))); }

DType dtypeFromTorchScalarType(const LowerContext& ctx, int64_t code) {
    switch (code) {
        case 0: case 1: case 2: case 3: case 4: return DType::Int32;     // uint8 int8 int16 int32 int64
        case 5: case 6: case 7: case 15: return DType::Float32;         // half float double bfloat16
        case 11: return DType::Bool;
        default: break;
    }
    ctx.fail("torch dtype code " + std::to_string(code) + " (complex or quantized) is not supported",
             "cast the tensor to a float or integer type in the model");
}

int64_t torchScalarTypeOf(DType dtype) {
    switch (dtype) {
        case DType::UInt8: return 0;
        case DType::Int8: return 1;
        case DType::Int16: return 2;
        case DType::Int32: return 3;
        case DType::Int64: return 4;
        case DType::Float16: return 5;
        case DType::Float32: return 6;
        case DType::Float64: return 7;
        case DType::Bool: return 11;
        case DType::BFloat16: return 15;
        default: return 6;
    }
}

std::vector<Lowered> elementsOf(LowerContext& ctx, const ir::Value* v) {
    const Lowered& l = ctx.lowered(v);
    if (l.isList) return l.items;
    std::vector<Lowered> out;
    auto push = [&out](ir::Constant c) {
        Lowered item;
        item.constant = std::move(c);
        out.push_back(std::move(item));
    };
    if (l.constant) {
        if (const auto* ints = std::get_if<std::vector<int64_t>>(&*l.constant)) for (int64_t i : *ints) push(i);
        else if (const auto* fl = std::get_if<std::vector<double>>(&*l.constant)) for (double d : *fl) push(d);
        else if (const auto* bs = std::get_if<std::vector<bool>>(&*l.constant)) for (bool b : *bs) push(bool(b));
        else ctx.fail("expected a list for '" + v->name + "', got " + ir::constantToString(*l.constant));
        return out;
    }
    ctx.fail("expected a list for '" + v->name + "', got a tensor");
}

std::vector<mil::Value*> tensorsOf(LowerContext& ctx, const ir::Value* list) {
    std::vector<mil::Value*> out;
    for (const Lowered& item : elementsOf(ctx, list)) {
        if (item.tensor) {
            out.push_back(item.tensor);
            continue;
        }
        std::optional<Tensor> t = item.constant ? tensorOf(*item.constant) : std::nullopt;
        if (!t) ctx.fail("expected a list of tensors for '" + list->name + "'");
        out.push_back(ctx.builder().constant(*t, ctx.nameFor(list)));
    }
    return out;
}

std::string listText(const std::vector<int64_t>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

mil::Value* reshapeTo(LowerContext& ctx, mil::Value* x, const Shape& shape, const std::string& name) {
    if (x->type.shape == shape && x->type.isStatic()) return x;
    return ctx.builder().add1("reshape", {{"x", {x}}, {"shape", {ctx.builder().constInts(shape, name + "_shape")}}}, name);
}

}  // namespace cms::lower
