// TorchScript's structural ops (constants, lists, tuples) and the scalar/shape queries that
// tracing leaves in a graph (aten::size, aten::Int, NumToTensor ...). With fixed input shapes
// they all fold to conversion-time constants; no MIL op is emitted for them.
#include <algorithm>
#include <cmath>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

void constant(LowerContext& ctx, const ir::Node& node) {
    for (const ir::Value* out : node.outputs) {
        if (!out->constant) ctx.fail("prim::Constant without a value");
        ctx.bindConstant(out, *out->constant);
    }
}

// Lists of numbers become constant int/float/bool lists; anything else stays a list of items.
void listConstruct(LowerContext& ctx, const ir::Node& node) {
    Lowered list;
    list.isList = true;
    bool allNumbers = true, anyFloat = false, allBool = !node.inputs.empty();
    for (const ir::Value* in : node.inputs) {
        list.items.push_back(ctx.lowered(in));
        const Lowered& item = list.items.back();
        const bool number = item.constant && !item.tensor &&
                            (std::holds_alternative<int64_t>(*item.constant) || std::holds_alternative<double>(*item.constant) ||
                             std::holds_alternative<bool>(*item.constant));
        allNumbers = allNumbers && number;
        if (number) {
            anyFloat = anyFloat || std::holds_alternative<double>(*item.constant);
            allBool = allBool && std::holds_alternative<bool>(*item.constant);
        }
    }
    const ir::Value* out = node.outputs.at(0);
    const bool tensorList = out->typeName.find("Tensor") != std::string::npos;
    if (allNumbers && !tensorList) {
        if (allBool) {
            std::vector<bool> v;
            for (const Lowered& item : list.items) v.push_back(std::get<bool>(*item.constant));
            ctx.bindConstant(out, v);
        } else if (anyFloat) {
            std::vector<double> v;
            for (const Lowered& item : list.items) v.push_back(scalarOf(*item.constant)->value);
            ctx.bindConstant(out, v);
        } else {
            std::vector<int64_t> v;
            for (const Lowered& item : list.items) v.push_back(scalarOf(*item.constant)->intValue());
            ctx.bindConstant(out, v);
        }
        return;
    }
    ctx.bindLowered(out, std::move(list));
}

void tupleConstruct(LowerContext& ctx, const ir::Node& node) {
    Lowered tuple;
    tuple.isList = true;
    for (const ir::Value* in : node.inputs) tuple.items.push_back(ctx.lowered(in));
    ctx.bindLowered(node.outputs.at(0), std::move(tuple));
}

void listUnpack(LowerContext& ctx, const ir::Node& node) {
    std::vector<Lowered> items = elementsOf(ctx, node.inputs.at(0));
    if (items.size() != node.outputs.size())
        ctx.fail("unpacks " + std::to_string(node.outputs.size()) + " values from a list of " + std::to_string(items.size()));
    for (size_t i = 0; i < items.size(); ++i) ctx.bindLowered(node.outputs[i], items[i]);
}

void getItem(LowerContext& ctx, const ir::Node& node) {
    std::vector<Lowered> items = elementsOf(ctx, node.inputs.at(0));
    int64_t i = ctx.intArg(node.inputs.at(1));
    const int64_t n = static_cast<int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) ctx.fail("index " + std::to_string(ctx.intArg(node.inputs.at(1))) + " is out of range for a list of " + std::to_string(n));
    ctx.bindLowered(node.outputs.at(0), items[static_cast<size_t>(i)]);
}

void len(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    const Lowered& l = ctx.lowered(in);
    if (l.isList || (l.constant && !std::holds_alternative<Tensor>(*l.constant))) {
        ctx.bindConstant(node.outputs.at(0), static_cast<int64_t>(elementsOf(ctx, in).size()));
        return;
    }
    const mil::TensorType& t = ctx.typeOf(in);
    if (t.rank() == 0) ctx.fail("len() of a 0-d tensor");
    if (t.shape[0] == mil::kUnknownDim) ctx.fail("len() of a tensor whose first dimension is only known at run time");
    ctx.bindConstant(node.outputs.at(0), t.shape[0]);
}

// aten::size(x) -> int list, aten::size(x, dim) -> int. Dimensions only known at run time read
// the shape with a shape op instead.
void size(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const Shape& shape = x->type.shape;
    if (node.inputs.size() == 1) {
        if (x->type.isStatic()) {
            ctx.bindConstant(node.outputs.at(0), std::vector<int64_t>(shape.begin(), shape.end()));
            return;
        }
        emit(ctx, "shape", {{"x", {x}}}, node.outputs.at(0));
        return;
    }
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    if (shape[dim] != mil::kUnknownDim) {
        ctx.bindConstant(node.outputs.at(0), shape[dim]);
        return;
    }
    mil::Value* s = ctx.builder().add1("shape", {{"x", {x}}}, ctx.nameFor(node.outputs.at(0)) + "_shape");
    emit(ctx, "gather", {{"x", {s}}, {"indices", {ctx.builder().constInt(dim)}}, {"axis", {ctx.builder().constInt(0)}}},
         node.outputs.at(0));
}

void dim(LowerContext& ctx, const ir::Node& node) {
    ctx.bindConstant(node.outputs.at(0), ctx.typeOf(node.inputs.at(0)).rank());
}

void numel(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.isStatic()) {
        ctx.bindConstant(node.outputs.at(0), shapeNumel(x->type.shape));
        return;
    }
    // Sizes only known at run time: the product of the shape, as a 0-d int32 tensor.
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* shape = b.add1("shape", {{"x", {x}}}, name + "_shape");
    emit(ctx, "reduce_prod", {{"x", {shape}}, {"axes", {b.constInts({0}, name + "_axes")}}, {"keep_dims", {b.constBool(false, name + "_keep")}}},
         node.outputs.at(0));
}

// NumToTensor / ScalarImplicit: a number as a 0-d tensor and back. Constants stay constants.
void passScalar(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    if (ctx.isConstant(in)) {
        std::optional<Scalar> s = scalarOf(ctx.constant(in));
        if (!s) ctx.fail("expected a number, got " + ir::constantToString(ctx.constant(in)));
        ctx.bindConstant(node.outputs.at(0), constantOf(*s));
        return;
    }
    bindSame(ctx, node);
}

// aten::Int / aten::Float / aten::Bool: a number converted; run-time values get a cast op.
template <DType To>
void toNumber(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    if (ctx.isConstant(in)) {
        std::optional<Scalar> s = scalarOf(ctx.constant(in));
        if (!s) ctx.fail("expected a number, got " + ir::constantToString(ctx.constant(in)));
        if (To == DType::Int32) ctx.bindConstant(node.outputs.at(0), s->isInt ? s->intValue() : static_cast<int64_t>(std::trunc(s->value)));
        else if (To == DType::Bool) ctx.bindConstant(node.outputs.at(0), s->value != 0);
        else ctx.bindConstant(node.outputs.at(0), s->value);
        return;
    }
    mil::Value* x = ctx.tensorAs(in, To);
    if (x->type.rank() != 0 && shapeNumel(x->type.shape) != 1)
        ctx.fail("converts a tensor of shape " + shapeText(x->type.shape) + " to a number");
    ctx.bind(node.outputs.at(0), x);
}

void dtype(LowerContext& ctx, const ir::Node& node) {
    ctx.bindConstant(node.outputs.at(0), torchScalarTypeOf(ctx.typeOf(node.inputs.at(0)).dtype));
}

void device(LowerContext& ctx, const ir::Node& node) { ctx.bindConstant(node.outputs.at(0), std::string("cpu")); }

// Python-int division that only ever runs on conversion-time numbers here: the generic folding
// before dispatch has already handled it when its inputs were constant.
void scalarOnly(LowerContext& ctx, const ir::Node& node) {
    // Integer sizes read at run time (flexible inputs): Python's floor division of non-negative ints.
    const ir::Value* a = node.inputs.at(0);
    const ir::Value* b = node.inputs.at(1);
    const bool ints = [&] {
        for (const ir::Value* v : {a, b}) {
            if (ctx.isConstant(v)) {
                const std::optional<Scalar> s = scalarOf(ctx.constant(v));
                if (!s || !s->isInt) return false;
            } else if (ctx.typeOf(v).dtype != DType::Int32 || ctx.typeOf(v).rank() != 0) {
                return false;
            }
        }
        return true;
    }();
    if (!ints)
        ctx.fail(node.kind + " on values only known at run time is supported for integers only",
                 "this arithmetic comes from shapes; give every input a fixed shape so it folds at conversion time");
    emit(ctx, "floor_div", {{"x", {ctx.tensorAs(a, DType::Int32)}}, {"y", {ctx.tensorAs(b, DType::Int32)}}}, node.outputs.at(0));
}

// aten::item / aten::_local_scalar_dense: the one element of a tensor as a number. A run-time
// number stays a 0-d tensor, the only scalar form Core ML has.
void item(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    if (ctx.isConstant(in)) {
        passScalar(ctx, node);
        return;
    }
    mil::Value* x = ctx.tensor(in);
    if (!x->type.isStatic() || shapeNumel(x->type.shape) != 1)
        ctx.fail("item() needs a tensor of exactly one element, got shape " + shapeText(x->type.shape),
                 "reduce the tensor (sum, max, indexing) to one element before taking its value");
    if (x->type.rank() == 0) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    emit(ctx, "squeeze", {{"x", {x}}}, node.outputs.at(0));
}

// One element of the data of aten::tensor: a conversion-time number or a run-time 0-d tensor.
struct DataLeaf {
    std::optional<Scalar> number;
    bool isBool = false;
    mil::Value* tensor = nullptr;
};

// Flattens (possibly nested) list data into leaves in row-major order and returns its shape;
// fails for ragged lists and run-time tensors that are not single numbers.
Shape collectLeaves(LowerContext& ctx, const Lowered& data, std::vector<DataLeaf>& leaves) {
    auto leafOf = [&](const ir::Constant& c) {
        std::optional<Scalar> s = scalarOf(c);
        if (!s) ctx.fail("tensor() data holds " + ir::constantToString(c) + ", not a number");
        leaves.push_back(DataLeaf{s, std::holds_alternative<bool>(c), nullptr});
    };
    if (data.tensor) {
        if (data.tensor->type.rank() != 0)
            ctx.fail("tensor() of a run-time tensor of shape " + shapeText(data.tensor->type.shape),
                     "use clone() or detach() to copy a tensor; tensor() takes numbers or lists of numbers");
        leaves.push_back(DataLeaf{std::nullopt, false, data.tensor});
        return {};
    }
    if (data.constant) {
        const ir::Constant& c = *data.constant;
        if (const auto* ints = std::get_if<std::vector<int64_t>>(&c)) {
            for (int64_t i : *ints) leafOf(i);
            return {static_cast<int64_t>(ints->size())};
        }
        if (const auto* fl = std::get_if<std::vector<double>>(&c)) {
            for (double d : *fl) leafOf(d);
            return {static_cast<int64_t>(fl->size())};
        }
        if (const auto* bs = std::get_if<std::vector<bool>>(&c)) {
            for (bool b : *bs) leafOf(b);
            return {static_cast<int64_t>(bs->size())};
        }
        if (const auto* t = std::get_if<Tensor>(&c)) {
            if (t->rank() != 0) ctx.fail("tensor() of a constant tensor of shape " + shapeText(t->shape()));
        }
        leafOf(c);
        return {};
    }
    if (!data.isList) ctx.fail("tensor() data is neither a number nor a list");
    std::optional<Shape> itemShape;
    for (const Lowered& item : data.items) {
        Shape s = collectLeaves(ctx, item, leaves);
        if (itemShape && s != *itemShape)
            ctx.fail("tensor() data is a ragged list (items of shape " + shapeText(*itemShape) + " and " + shapeText(s) + ")");
        itemShape = s;
    }
    Shape shape{static_cast<int64_t>(data.items.size())};
    if (itemShape) shape.insert(shape.end(), itemShape->begin(), itemShape->end());
    return shape;
}

// torch's inferred dtype for tensor data: float if any float, bool if all bool, else integer.
DType inferredDtype(const std::vector<DataLeaf>& leaves, DType emptyDefault) {
    if (leaves.empty()) return emptyDefault;
    bool anyFloat = false, allBool = true;
    for (const DataLeaf& l : leaves) {
        const DType d = l.tensor ? l.tensor->type.dtype : l.isBool ? DType::Bool : l.number->isInt ? DType::Int32 : DType::Float32;
        anyFloat = anyFloat || isFloat(d);
        allBool = allBool && d == DType::Bool;
    }
    return anyFloat ? DType::Float32 : allBool ? DType::Bool : DType::Int32;
}

// A tensor made from numbers: a constant when every leaf is known, else the run-time leaves
// (cast to `dtype`) stacked and reshaped.
void bindTensorData(LowerContext& ctx, const ir::Node& node, const Lowered& data, std::optional<DType> dtype,
                    DType emptyDefault) {
    std::vector<DataLeaf> leaves;
    const Shape shape = collectLeaves(ctx, data, leaves);
    const DType d = dtype ? *dtype : inferredDtype(leaves, emptyDefault);
    const ir::Value* out = node.outputs.at(0);
    const bool allKnown = std::all_of(leaves.begin(), leaves.end(), [](const DataLeaf& l) { return !l.tensor; });
    if (allKnown) {
        if (isFloat(d)) {
            std::vector<float> values;
            for (const DataLeaf& l : leaves) values.push_back(static_cast<float>(l.number->value));
            ctx.bindConstant(out, Tensor::fromFloats(values, shape, d));
        } else {
            std::vector<int64_t> values;
            for (const DataLeaf& l : leaves) values.push_back(l.number->intValue());
            ctx.bindConstant(out, Tensor::fromInts(values, shape, DType::Int32).castTo(d));
        }
        return;
    }
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(out);
    std::vector<mil::Value*> items;
    for (size_t i = 0; i < leaves.size(); ++i) {
        const DataLeaf& l = leaves[i];
        if (!l.tensor) {
            items.push_back(b.constant(Tensor::scalarFloat(static_cast<float>(l.number->value)).castTo(d), name + "_item"));
            continue;
        }
        items.push_back(l.tensor->type.dtype == d
                            ? l.tensor
                            : b.add1("cast", {{"x", {l.tensor}}, {"dtype", {b.constString(dtypeName(d), name + "_dtype")}}},
                                     name + "_item"));
    }
    if (shape.empty()) {
        ctx.bind(out, items.front());
        return;
    }
    mil::Value* flat = b.add1("stack", {{"values", items}, {"axis", {b.constInt(0)}}}, shape.size() == 1 ? name : name + "_flat");
    ctx.bind(out, reshapeTo(ctx, flat, shape, name));
}

std::optional<DType> dtypeArg(LowerContext& ctx, const ir::Node& node, size_t i) {
    if (node.inputs.size() <= i || ctx.isNone(node.inputs[i])) return std::nullopt;
    return dtypeFromTorchScalarType(ctx, ctx.intArg(node.inputs[i]));
}

// aten::tensor(data, dtype, device, requires_grad): numbers or (nested) lists of numbers.
void tensorFromData(LowerContext& ctx, const ir::Node& node) {
    bindTensorData(ctx, node, ctx.lowered(node.inputs.at(0)), dtypeArg(ctx, node, 1), DType::Float32);
}

// aten::scalar_tensor(s, dtype, layout, device, pin_memory): a 0-d tensor, fp32 unless told.
void scalarTensor(LowerContext& ctx, const ir::Node& node) {
    bindTensorData(ctx, node, ctx.lowered(node.inputs.at(0)), dtypeArg(ctx, node, 1).value_or(DType::Float32),
                   DType::Float32);
}

// Every float type lowers to fp32 or fp16, so the answer is known at conversion time.
void isFloatingPoint(LowerContext& ctx, const ir::Node& node) {
    ctx.bindConstant(node.outputs.at(0), isFloat(ctx.typeOf(node.inputs.at(0)).dtype));
}

// aten::__is__ / aten::__isnot__: TorchScript's `x is None` checks (scripted library code tests optional
// arguments so). Tensors are never None here once their producer is lowered, so it folds.
template <bool Negated>
void isNone(LowerContext& ctx, const ir::Node& node) {
    const bool left = ctx.isNone(node.inputs.at(0)), right = ctx.isNone(node.inputs.at(1));
    if (!left && !right)
        ctx.fail("compares the identity of two values; only comparisons with None are supported",
                 "compare the values with == instead of `is`");
    ctx.bindConstant(node.outputs.at(0), (left && right) != Negated);
}

// prim::type: the kind of a device ("cpu" of "cpu" or "cuda" of "cuda:0"); conversion is for the CPU.
void deviceType(LowerContext& ctx, const ir::Node& node) {
    const std::string device = ctx.stringArg(node.inputs.at(0));
    ctx.bindConstant(node.outputs.at(0), device.substr(0, device.find(':')));
}

}  // namespace

void registerPrimTranslators(TranslatorTable& t) {
    t.add({"prim::Constant"}, constant);
    t.add({"prim::ListConstruct"}, listConstruct);
    t.add({"prim::TupleConstruct"}, tupleConstruct);
    t.add({"prim::ListUnpack", "prim::TupleUnpack"}, listUnpack);
    t.add({"aten::__getitem__", "prim::TupleIndex", "prim::ListIndex"}, getItem);
    t.add({"aten::len"}, len);
    t.add({"aten::size"}, size);
    t.add({"aten::dim"}, dim);
    t.add({"aten::numel"}, numel);
    // prim::ImplicitTensorToNum is the older TorchScript spelling of aten::ScalarImplicit.
    t.add({"prim::NumToTensor", "aten::ScalarImplicit", "aten::IntImplicit", "aten::FloatImplicit",
           "prim::ImplicitTensorToNum"},
          passScalar);
    t.add({"aten::Int"}, toNumber<DType::Int32>);
    t.add({"aten::Float"}, toNumber<DType::Float32>);
    t.add({"aten::Bool"}, toNumber<DType::Bool>);
    t.add({"prim::dtype"}, dtype);
    t.add({"prim::device"}, device);
    t.add({"prim::type"}, deviceType);
    t.add({"aten::__is__"}, isNone<false>);
    t.add({"aten::__isnot__"}, isNone<true>);
    // Refinements of an Optional's type, and a move to the CPU that conversion already assumes.
    t.add({"prim::unchecked_cast", "aten::cpu"}, bindSame);
    t.add({"aten::floordiv", "aten::__floordiv__"}, scalarOnly);
    t.add({"aten::item", "aten::_local_scalar_dense"}, item);
    t.add({"aten::tensor"}, tensorFromData);
    t.add({"aten::scalar_tensor"}, scalarTensor);
    t.add({"aten::is_floating_point"}, isFloatingPoint);
    // Functionalization's copies of fresh tensors: the value itself.
    t.add({"aten::lift_fresh", "aten::lift_fresh_copy"}, bindSame);
}

}  // namespace cms::lower
