#include "lower/translators/translator_utils.h"

#include <algorithm>

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

Lowered dimOf(LowerContext& ctx, mil::Value* x, int64_t d, const std::string& name) {
    Lowered out;
    if (x->type.shape.at(static_cast<size_t>(d)) != mil::kUnknownDim) {
        out.constant = x->type.shape[static_cast<size_t>(d)];
        return out;
    }
    mil::Builder& b = ctx.builder();
    mil::Value* shape = b.add1("shape", {{"x", {x}}}, name + "_shape");
    out.tensor = b.add1("gather", {{"x", {shape}}, {"indices", {b.constInt(d, name + "_dim")}}, {"axis", {b.constInt(0, name + "_axis")}}},
                        name + "_size" + std::to_string(d));
    return out;
}

bool allConstant(const std::vector<Lowered>& items) {
    return std::all_of(items.begin(), items.end(), [](const Lowered& l) { return l.constant && !l.tensor && !l.isList; });
}

mil::Value* intVector(LowerContext& ctx, const std::vector<Lowered>& items, const std::string& name) {
    mil::Builder& b = ctx.builder();
    std::vector<mil::Value*> pieces;
    std::vector<int64_t> run;  // consecutive known values, emitted as one const
    const auto flush = [&] {
        if (!run.empty()) pieces.push_back(b.constInts(run, name + "_part"));
        run.clear();
    };
    for (const Lowered& item : items) {
        if (item.constant && !item.tensor) {
            const std::optional<Scalar> s = scalarOf(*item.constant);
            if (!s) ctx.fail("a size must be an integer, got " + ir::constantToString(*item.constant));
            run.push_back(s->intValue());
            continue;
        }
        if (!item.tensor) ctx.fail("a size must be an integer or a run-time integer");
        mil::Value* t = item.tensor;
        if (t->type.rank() > 1 || (t->type.rank() == 1 && t->type.shape[0] != 1))
            ctx.fail("a size must be a single number, got a tensor " + t->type.toString());
        flush();
        if (t->type.dtype != DType::Int32)
            t = b.add1("cast", {{"x", {t}}, {"dtype", {b.constString("int32", name + "_dtype")}}}, name + "_int");
        if (t->type.rank() == 0) t = b.add1("expand_dims", {{"x", {t}}, {"axes", {b.constInts({0}, name + "_axes")}}}, name + "_item");
        pieces.push_back(t);
    }
    flush();
    if (pieces.size() == 1) return pieces.front();
    return b.add1("concat", {{"values", pieces}, {"axis", {b.constInt(0, name + "_axis")}}, {"interleave", {b.constBool(false, name + "_interleave")}}},
                  name);
}

mil::Value* reshapeToItems(LowerContext& ctx, mil::Value* x, const std::vector<Lowered>& items, const std::string& name) {
    size_t runtime = 0, inferred = 0;
    std::vector<int64_t> known;
    for (const Lowered& item : items) {
        if (item.constant && !item.tensor) {
            const std::optional<Scalar> s = scalarOf(*item.constant);
            if (!s || !s->isInt) ctx.fail("a view size must be an integer, got " + ir::constantToString(*item.constant));
            inferred += s->intValue() == -1;
            known.push_back(s->intValue());
        } else {
            ++runtime;
            known.push_back(-1);
        }
    }
    if (inferred > 1) ctx.fail("view shape " + listText(known) + " has more than one -1");
    mil::Builder& b = ctx.builder();
    if (runtime + inferred <= 1)
        return b.add1("reshape", {{"x", {x}}, {"shape", {b.constInts(known, name + "_shape")}}}, name);
    return b.add1("reshape", {{"x", {x}}, {"shape", {intVector(ctx, items, name + "_shape")}}}, name);
}

std::string symbolicDimsText(LowerContext& ctx, const ir::Node& node) {
    std::string out;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
        if (!ctx.isLowered(node.inputs[i])) continue;
        const Lowered& l = ctx.lowered(node.inputs[i]);
        if (!l.tensor || l.tensor->type.isStatic()) continue;
        std::string dims;
        for (size_t d = 0; d < l.tensor->type.shape.size(); ++d)
            if (l.tensor->type.shape[d] == mil::kUnknownDim) dims += (dims.empty() ? "" : ", ") + std::to_string(d);
        out += (out.empty() ? "" : "; ") + ("input " + std::to_string(i) + " " + l.tensor->type.toString() +
                                            ": dimension" + (dims.find(',') != std::string::npos ? "s " : " ") + dims);
    }
    return out;
}

}  // namespace cms::lower
