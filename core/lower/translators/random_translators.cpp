// Random sampling: rand, rand_like, randn, randn_like, randint and multinomial, lowered to Core ML's
// random_uniform / random_normal / random_categorical. The samples follow torch's distributions but
// not its values (the generators differ); torch's generator arguments are ignored, as Core ML has no
// equivalent. Distribution parameters must be known at conversion time (Core ML takes them as consts).
#include <cmath>

#include "lower/constant_values.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// The sampled shape: a size list, or the shape of the tensor a *_like op copies.
mil::Value* sizeShape(LowerContext& ctx, const ir::Value* size) {
    const std::vector<int64_t> dims = ctx.intsArg(size);
    for (int64_t d : dims)
        if (d <= 0) ctx.fail("random sampling needs positive sizes, got " + listText(dims));
    return ctx.builder().constInts(dims, ctx.nameFor(size) + "_shape");
}

mil::Value* likeShape(LowerContext& ctx, const ir::Value* like, const std::string& name) {
    mil::Value* x = ctx.tensor(like);
    if (x->type.isStatic()) return ctx.builder().constInts(x->type.shape, name + "_shape");
    return ctx.builder().add1("shape", {{"x", {x}}}, name + "_shape");
}

// Random floats are fp32 here whatever float type torch asks for (precision is chosen by passes).
void requireFloatDtype(LowerContext& ctx, const ir::Node& node, size_t index) {
    if (node.inputs.size() <= index || ctx.isNone(node.inputs[index])) return;
    if (dtypeFromTorchScalarType(ctx, ctx.intArg(node.inputs[index])) != DType::Float32)
        ctx.fail(node.kind + " samples floats; an integer or bool dtype is not supported", "sample floats and cast the result");
}

mil::Value* uniform(LowerContext& ctx, mil::Value* shape, double low, double high, const std::string& name) {
    mil::Builder& b = ctx.builder();
    return b.add1("random_uniform",
                  {{"shape", {shape}},
                   {"low", {b.constFloat(static_cast<float>(low), name + "_low")}},
                   {"high", {b.constFloat(static_cast<float>(high), name + "_high")}}},
                  name);
}

// rand(size, dtype, layout, device, pin_memory) / rand_like(self, dtype, ...): uniform on [0, 1).
void rand(LowerContext& ctx, const ir::Node& node) {
    requireFloatDtype(ctx, node, 1);
    const ir::Value* out = node.outputs.at(0);
    ctx.bind(out, uniform(ctx, sizeShape(ctx, node.inputs.at(0)), 0.0, 1.0, ctx.nameFor(out)));
}

void randLike(LowerContext& ctx, const ir::Node& node) {
    requireFloatDtype(ctx, node, 1);
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    ctx.bind(out, uniform(ctx, likeShape(ctx, node.inputs.at(0), name), 0.0, 1.0, name));
}

// randn(size, ...) / randn_like(self, ...): standard normal.
void normal(LowerContext& ctx, const ir::Node& node, mil::Value* shape) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "random_normal",
         {{"shape", {shape}}, {"mean", {b.constFloat(0.0f, name + "_mean")}}, {"stddev", {b.constFloat(1.0f, name + "_stddev")}}},
         node.outputs.at(0));
}

void randn(LowerContext& ctx, const ir::Node& node) {
    requireFloatDtype(ctx, node, 1);
    normal(ctx, node, sizeShape(ctx, node.inputs.at(0)));
}

void randnLike(LowerContext& ctx, const ir::Node& node) {
    requireFloatDtype(ctx, node, 1);
    normal(ctx, node, likeShape(ctx, node.inputs.at(0), ctx.nameFor(node.outputs.at(0))));
}

// randint(high, size, dtype, ...) and randint.low(low, high, size, dtype, ...): integers in
// [low, high), as floor of a uniform sample, kept below high should the sample round up to it.
void randint(LowerContext& ctx, const ir::Node& node) {
    const Lowered& second = ctx.lowered(node.inputs.at(1));
    const bool sizeSecond = second.isList || (second.constant && std::holds_alternative<std::vector<int64_t>>(*second.constant));
    const int64_t low = sizeSecond ? 0 : ctx.intArg(node.inputs.at(0));
    const int64_t high = ctx.intArg(node.inputs.at(sizeSecond ? 0 : 1));
    const size_t sizeIndex = sizeSecond ? 1 : 2;
    if (high <= low)
        ctx.fail("randint needs low < high, got low " + std::to_string(low) + " and high " + std::to_string(high));
    const ir::Value* dtypeValue = node.inputs.size() > sizeIndex + 1 ? node.inputs[sizeIndex + 1] : nullptr;
    const DType dtype = dtypeValue && !ctx.isNone(dtypeValue) ? dtypeFromTorchScalarType(ctx, ctx.intArg(dtypeValue)) : DType::Int32;
    if (dtype == DType::Bool) ctx.fail("randint with a bool dtype is not supported", "sample integers and compare them");

    mil::Builder& b = ctx.builder();
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* u = uniform(ctx, sizeShape(ctx, node.inputs.at(sizeIndex)), static_cast<double>(low), static_cast<double>(high),
                            name + "_uniform");
    mil::Value* f = b.add1("floor", {{"x", {u}}}, name + "_floor");
    const bool isInt = dtype == DType::Int32;
    f = b.add1("minimum", {{"x", {f}}, {"y", {b.constFloat(static_cast<float>(high - 1), name + "_max")}}},
               isInt ? name + "_float" : name);
    if (!isInt) {
        ctx.bind(out, f);
        return;
    }
    emit(ctx, "cast", {{"x", {f}}, {"dtype", {b.constString("int32", name + "_dtype")}}}, out);
}

// multinomial(self, num_samples, replacement, generator): indices drawn from each row's
// (unnormalised) probabilities. Core ML samples with replacement only.
void multinomial(LowerContext& ctx, const ir::Node& node) {
    mil::Value* probs = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    if (probs->type.rank() != 1 && probs->type.rank() != 2)
        ctx.fail("multinomial takes a 1-D or 2-D tensor of probabilities, got shape " + shapeText(probs->type.shape));
    const int64_t samples = ctx.intArg(node.inputs.at(1));
    const bool replacement = ctx.boolArg(node.inputs.at(2));
    if (samples < 1) ctx.fail("num_samples must be positive, got " + std::to_string(samples));
    if (samples > 1 && !replacement)
        ctx.fail("multinomial without replacement of more than one sample is not supported (Core ML samples with replacement)",
                 "use replacement=True, or draw one sample at a time");
    mil::Builder& b = ctx.builder();
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* drawn = b.add1("random_categorical",
                               {{"x", {probs}}, {"mode", {b.constString("probs", name + "_mode")}},
                                {"size", {b.constInt(samples, name + "_size")}}},
                               name + "_indices");
    emit(ctx, "cast", {{"x", {drawn}}, {"dtype", {b.constString("int32", name + "_dtype")}}}, out);
}

}  // namespace

void registerRandomTranslators(TranslatorTable& t) {
    t.add({"aten::rand"}, rand);
    t.add({"aten::rand_like"}, randLike);
    t.add({"aten::randn"}, randn);
    t.add({"aten::randn_like"}, randnLike);
    t.add({"aten::randint"}, randint);
    t.add({"aten::multinomial"}, multinomial);
}

}  // namespace cms::lower
