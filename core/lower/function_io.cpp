#include "lower/function_io.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/error.h"
#include "lower/constant_values.h"

namespace cms::lower {

namespace {

const char* kInputHint = "pass each model input as --input NAME:SHAPE (e.g. --input x:1x3x224x224), in the order of the "
                         "model's forward() arguments";

[[noreturn]] void settingsError(const LowerContext& ctx, const std::string& message, const std::string& hint) {
    throw Error(ErrorKind::Settings, message, ErrorLocation{ctx.graph().sourcePath, {}}, hint);
}

std::string describeInputs(const ir::Graph& g) {
    std::string s;
    for (size_t i = 0; i < g.top().inputs.size(); ++i) {
        const std::string name = i < g.inputNames.size() ? g.inputNames[i] : g.top().inputs[i]->name;
        s += (i ? ", " : "") + name;
    }
    return s.empty() ? "none" : s;
}

// Settings inputs, or (when none are given) the shapes the model itself declares.
std::vector<InputSpec> inputSpecs(const LowerContext& ctx, const ConversionSettings& settings) {
    const ir::Graph& g = ctx.graph();
    const auto& values = g.top().inputs;
    if (!settings.inputs.empty()) {
        if (settings.inputs.size() != values.size())
            settingsError(ctx,
                          "the model has " + std::to_string(values.size()) + " input(s) (" + describeInputs(g) + ") but " +
                              std::to_string(settings.inputs.size()) + " were given",
                          kInputHint);
        return settings.inputs;
    }
    std::vector<InputSpec> specs;
    for (size_t i = 0; i < values.size(); ++i) {
        const ir::Value* v = values[i];
        const std::string name = i < g.inputNames.size() ? g.inputNames[i] : v->name;
        if (!v->shapeKnown)
            settingsError(ctx, "the shape of input '" + name + "' is not known", kInputHint);
        InputSpec spec;
        spec.name = name;
        spec.shape = v->shape;
        spec.dtype = v->dtype == DType::Invalid || isFloat(v->dtype) ? DType::Float32 : DType::Int32;
        specs.push_back(spec);
    }
    return specs;
}

// Core ML's image input: y = x * scale + bias[channel]; each op only when it changes something.
mil::Value* preprocessImage(LowerContext& ctx, mil::Value* x, const InputSpec& spec) {
    const ImageSpec& image = *spec.image;
    mil::Builder& b = ctx.builder();
    mil::Value* y = x;
    if (image.scale != 1.0)
        y = b.add1("mul", {{"x", {y}}, {"y", {b.constFloat(static_cast<float>(image.scale), spec.name + "_scale")}}},
                   spec.name + "__scaled__");
    const bool hasBias = std::any_of(image.bias.begin(), image.bias.end(), [](double v) { return v != 0; });
    if (hasBias) {
        std::vector<float> bias(image.bias.begin(), image.bias.end());
        Tensor t;
        if (image.layout == ColorLayout::Grayscale) t = Tensor::scalarFloat(bias.front());
        else if (x->type.rank() == 3) t = Tensor::fromFloats(bias, {3, 1, 1});
        else t = Tensor::fromFloats(bias, {1, 3, 1, 1});
        y = b.add1("add", {{"x", {y}}, {"y", {b.constant(t, spec.name + "_bias")}}}, spec.name + "__biased__");
    }
    return y;
}

void checkImage(const LowerContext& ctx, const InputSpec& spec) {
    const ImageSpec& image = *spec.image;
    const int64_t channels = image.layout == ColorLayout::Grayscale ? 1 : 3;
    const std::string layout = colorLayoutName(image.layout);
    if (spec.shape.size() != 4 && spec.shape.size() != 3)
        settingsError(ctx, "image input '" + spec.name + "' must have shape [1, C, H, W], got " + shapeToString(spec.shape),
                      "give image inputs a shape like 1x3x224x224");
    const int64_t c = spec.shape[spec.shape.size() - 3];
    if (c != channels)
        settingsError(ctx, "image input '" + spec.name + "' is " + layout + " (" + std::to_string(channels) +
                               " channel(s)) but its shape " + shapeToString(spec.shape) + " has " + std::to_string(c),
                      "use layout=GRAYSCALE for one channel, RGB or BGR for three");
    if (!image.bias.empty() && static_cast<int64_t>(image.bias.size()) != channels)
        settingsError(ctx, "image input '" + spec.name + "' needs " + std::to_string(channels) + " bias value(s), got " +
                               std::to_string(image.bias.size()),
                      channels == 3 ? "give bias=R,G,B" : "give one bias value for a grayscale image");
    if (spec.dtype != DType::Float32)
        settingsError(ctx, "image input '" + spec.name + "' must be fp32", "drop the dtype option from image inputs");
}

// A leaf of the (possibly nested) output structure.
void flatten(const Lowered& l, std::vector<Lowered>& out) {
    if (l.isList) {
        for (const Lowered& item : l.items) flatten(item, out);
        return;
    }
    out.push_back(l);
}

mil::Value* findValueNamed(mil::Function& fn, const std::string& name) {
    for (mil::Value* v : fn.inputs)
        if (v->name == name) return v;
    for (auto& op : fn.body.ops)
        for (mil::Value* v : op->outputs)
            if (v->name == name) return v;
    return nullptr;
}

// Gives `v` (an op output) the name `name`, moving an intermediate that holds it aside.
void rename(LowerContext& ctx, mil::Function& fn, mil::Value* v, const std::string& name) {
    if (v->name == name) return;
    if (mil::Value* holder = findValueNamed(fn, name)) {
        const std::string fresh = ctx.program().uniqueName(name);
        if (holder->producer && holder->producer->name == holder->name) holder->producer->name = fresh;
        holder->name = fresh;
    }
    ctx.program().reserveName(name);
    if (v->producer && v->producer->name == v->name) v->producer->name = name;
    v->name = name;
}

}  // namespace

bool isIdentifier(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void bindFunctionInputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings) {
    const ir::Graph& g = ctx.graph();
    const std::vector<InputSpec> specs = inputSpecs(ctx, settings);
    std::set<std::string> names;
    for (size_t i = 0; i < specs.size(); ++i) {
        const InputSpec& spec = specs[i];
        ir::Value* irValue = g.top().inputs[i];
        const std::string modelName = i < g.inputNames.size() ? g.inputNames[i] : irValue->name;
        if (!isIdentifier(spec.name))
            settingsError(ctx, "input name '" + spec.name + "' is not a valid Core ML feature name",
                          "use letters, digits and underscores, not starting with a digit (--input NAME:SHAPE)");
        if (!names.insert(spec.name).second)
            settingsError(ctx, "two inputs are named '" + spec.name + "'", "give every input its own name");
        if (irValue->kind != ir::ValueKind::Tensor && irValue->kind != ir::ValueKind::Other)
            throw Error(ErrorKind::Unsupported,
                        "model input '" + modelName + "' is a " + ir::valueKindName(irValue->kind) +
                            "; only tensor inputs can be converted",
                        ErrorLocation{g.sourcePath, {}}, "make the value a constant inside the model or pass it as a tensor");
        if (spec.shape.empty())
            settingsError(ctx, "input '" + spec.name + "' has no shape", kInputHint);
        if (std::any_of(spec.shape.begin(), spec.shape.end(), [](int64_t d) { return d <= 0; }))
            settingsError(ctx, "input '" + spec.name + "' has an invalid shape " + shapeToString(spec.shape),
                          "every dimension must be a positive number");
        if (irValue->shapeKnown && irValue->shape.size() != spec.shape.size())
            settingsError(ctx,
                          "input '" + spec.name + "' has rank " + std::to_string(spec.shape.size()) + " (" +
                              shapeToString(spec.shape) + ") but the model's input '" + modelName + "' has rank " +
                              std::to_string(irValue->shape.size()) + " (traced as " + shapeToString(irValue->shape) + ")",
                          std::string(kInputHint) + "; the shape must have " + std::to_string(irValue->shape.size()) +
                              " dimensions");
        if (spec.dtype == DType::Float16 && ctx.target() < mil::Target::iOS16)
            settingsError(ctx, "input '" + spec.name + "' is fp16, which Core ML accepts from iOS16",
                          "use --target iOS16 or later, or an fp32 input");
        if (spec.dtype != DType::Float32 && spec.dtype != DType::Float16 && spec.dtype != DType::Int32)
            settingsError(ctx, "input '" + spec.name + "' has dtype " + dtypeName(spec.dtype), "inputs are fp32, fp16 or int32");
        if (spec.image) checkImage(ctx, spec);

        ctx.program().reserveName(spec.name);
        mil::Value* in = ctx.program().newValueNamed(spec.name, mil::TensorType{spec.dtype, symbolicShape(spec)});
        fn.inputs.push_back(in);

        ir::Provenance prov;
        prov.sourceOp = spec.image ? "image preprocessing of input " + spec.name : "input " + spec.name;
        ctx.builder().setProvenance(prov);
        mil::Value* value = in;
        if (spec.image) value = preprocessImage(ctx, in, spec);
        // Core ML hands images over as [1, C, H, W]; a channels-last model (Keras) declares [1, H, W, C].
        const Shape& declared = irValue->shape;
        if (spec.image && irValue->shapeKnown && declared.size() == 4 && spec.shape.size() == 4 && declared != spec.shape &&
            declared == Shape({spec.shape[0], spec.shape[2], spec.shape[3], spec.shape[1]}))
            value = ctx.builder().add1("transpose",
                                       {{"x", {value}}, {"perm", {ctx.builder().constInts({0, 2, 3, 1}, spec.name + "_perm")}}},
                                       spec.name + "__channels_last__");
        // The graph is lowered in fp32; fp16 inputs are widened once here (passes fold the pair away).
        if (spec.dtype == DType::Float16)
            value = ctx.builder().add1(
                "cast", {{"x", {in}}, {"dtype", {ctx.builder().constString("fp32", spec.name + "_dtype")}}}, spec.name + "_fp32");
        ctx.bind(irValue, value);
    }
}

void bindFunctionOutputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings) {
    const ir::Graph& g = ctx.graph();
    std::vector<Lowered> leaves;
    std::vector<size_t> topIndex;  // which graph output each leaf comes from
    for (size_t i = 0; i < g.top().outputs.size(); ++i) {
        flatten(ctx.lowered(g.top().outputs[i]), leaves);
        topIndex.resize(leaves.size(), i);
    }
    if (leaves.empty()) throw Error(ErrorKind::Unsupported, "the model returns no tensors", {g.sourcePath, {}}, "return at least one tensor");
    // Names per tensor, or per graph output (a returned tuple then names its tensors NAME_0, NAME_1 ...).
    auto perOutput = [&](const std::vector<std::string>& names) {
        std::vector<std::string> out;
        for (size_t k = 0; k < leaves.size(); ++k) {
            const size_t i = topIndex[k];
            const size_t first = std::find(topIndex.begin(), topIndex.end(), i) - topIndex.begin();
            const size_t count = std::count(topIndex.begin(), topIndex.end(), i);
            out.push_back(count == 1 ? names[i] : names[i] + "_" + std::to_string(k - first));
        }
        return out;
    };
    std::vector<std::string> sourceNames;
    {
        std::vector<std::string> perGraphOutput;
        for (size_t i = 0; i < g.top().outputs.size(); ++i)
            perGraphOutput.push_back(i < g.outputNames.size() && !g.outputNames[i].empty() ? g.outputNames[i]
                                                                                            : g.top().outputs[i]->name);
        sourceNames = perOutput(perGraphOutput);
    }
    std::vector<std::string> requested;
    if (!settings.outputs.empty()) {
        std::vector<std::string> given;
        for (const OutputSpec& o : settings.outputs) given.push_back(o.name);
        if (given.size() == leaves.size()) requested = given;
        else if (given.size() == g.top().outputs.size()) requested = perOutput(given);
        else
            settingsError(ctx,
                          "the model has " + std::to_string(leaves.size()) + " output tensor(s) but " +
                              std::to_string(given.size()) + " output name(s) were given",
                          "give one name per output, in order, or none for the defaults");
    }

    std::set<std::string> inputNames;
    for (mil::Value* in : fn.inputs) inputNames.insert(in->name);
    std::set<std::string> used;
    std::vector<std::string> names;
    for (size_t i = 0; i < leaves.size(); ++i) {
        std::string name;
        if (!requested.empty()) {
            name = requested[i];
            if (!isIdentifier(name))
                settingsError(ctx, "output name '" + name + "' is not a valid Core ML feature name",
                              "use letters, digits and underscores, not starting with a digit");
            if (inputNames.count(name) || used.count(name))
                settingsError(ctx, "output name '" + name + "' is already used by another input or output",
                              "give every input and output its own name");
        } else {
            name = sourceNames[i];
            if (!isIdentifier(name) || inputNames.count(name) || used.count(name))
                name = leaves.size() == 1 ? "output" : "output_" + std::to_string(i);
            for (int k = 1; inputNames.count(name) || used.count(name); ++k) name = "output_" + std::to_string(i) + "_" + std::to_string(k);
        }
        used.insert(name);
        names.push_back(name);
    }

    ir::Provenance prov;
    prov.sourceOp = "model output";
    ctx.builder().setProvenance(prov);
    std::set<const mil::Value*> taken;
    for (size_t i = 0; i < leaves.size(); ++i) {
        const Lowered& leaf = leaves[i];
        mil::Value* v = leaf.tensor;
        if (leaf.complex)
            throw Error(ErrorKind::Unsupported,
                        "output '" + names[i] + "' of the model is complex, and Core ML models have only real outputs",
                        {g.sourcePath, leaf.complex->producer},
                        "return torch.view_as_real(x) (real and imaginary parts in a last dimension of 2) or x.abs() instead");
        if (!v) {
            std::optional<Tensor> t = leaf.constant ? tensorOf(*leaf.constant) : std::nullopt;
            if (!t) throw Error(ErrorKind::Unsupported, "output " + std::to_string(i) + " of the model is not a tensor",
                                {g.sourcePath, {}}, "return tensors only");
            v = ctx.builder().constant(*t, names[i] + "_value");
        }
        // Every output must be made by an op of its own: inputs, consts and repeats get an identity.
        const bool needsOp = !v->producer || v->isConst() || taken.count(v);
        if (needsOp) {
            if (mil::Value* holder = findValueNamed(fn, names[i])) rename(ctx, fn, holder, ctx.program().uniqueName(names[i]));
            v = ctx.builder().add1("identity", {{"x", {v}}}, names[i]);
        }
        rename(ctx, fn, v, names[i]);
        taken.insert(v);
        fn.body.outputs.push_back(v);
    }
}

}  // namespace cms::lower
