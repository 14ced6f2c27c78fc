#include "lower/composites/composite_emitter.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "lower/composites/composite_syntax.h"

namespace cms::lower {

namespace {

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::vector<std::string> argumentNames(const Composite& c) {
    std::vector<std::string> out;
    for (const SchemaArg& a : c.schema.args) out.push_back(a.name);
    return out;
}

const std::shared_ptr<Expr>* findNamed(const std::vector<std::pair<std::string, std::shared_ptr<Expr>>>& list,
                                       const std::string& name) {
    for (const auto& [n, e] : list)
        if (n == name) return &e;
    return nullptr;
}

}  // namespace

Bound literalValue(const Expr& e) {
    Bound b;
    b.weak = true;
    switch (e.kind) {
        case Expr::Kind::Number:
            b.constant = e.isInteger ? Tensor::scalarInt(static_cast<int64_t>(e.number))
                                     : Tensor::scalarFloat(static_cast<float>(e.number));
            return b;
        case Expr::Kind::Bool: b.constant = Tensor::scalarBool(e.boolean); return b;
        case Expr::Kind::String: b.constant = Tensor::string(e.text); b.weak = false; return b;
        case Expr::Kind::List: {
            bool ints = true;
            std::vector<float> floats;
            std::vector<int64_t> integers;
            for (const auto& item : e.items) {
                if (item->kind != Expr::Kind::Number)
                    compositeError(item->pos, "a list literal holds numbers only");
                ints = ints && item->isInteger;
                floats.push_back(static_cast<float>(item->number));
                integers.push_back(static_cast<int64_t>(item->number));
            }
            const int64_t n = static_cast<int64_t>(e.items.size());
            b.constant = ints ? Tensor::fromInts(integers, {n}) : Tensor::fromFloats(floats, {n});
            return b;
        }
        default: compositeError(e.pos, "expected a literal (number, true/false, \"string\" or [list])");
    }
}

Bound defaultValue(const SchemaArg& arg, const SourcePos& pos) {
    Bound b;
    if (!arg.value || *arg.value == "None") {
        b.none = true;
        return b;
    }
    std::string text = *arg.value;
    // TorchScript spells booleans in Python's way.
    if (text == "True") text = "true";
    if (text == "False") text = "false";
    const std::unique_ptr<Expr> e = parseExpression(text, [&](size_t) { return pos; });
    return literalValue(*e);
}

CompositeEmitter::CompositeEmitter(const Composite& composite, mil::Builder& builder, std::string namePrefix)
    : composite_(composite), builder_(builder), prefix_(std::move(namePrefix)) {}

void CompositeEmitter::bindArgument(const std::string& name, Bound value) { args_[name] = std::move(value); }

std::vector<mil::Value*> CompositeEmitter::emitOutputs(const std::vector<std::string>& outputNames) {
    std::vector<mil::Value*> out;
    for (size_t i = 0; i < composite_.outputs.size(); ++i) {
        const Expr& e = *composite_.outputs[i];
        const std::string name = i < outputNames.size() ? outputNames[i] : prefix_ + "_out" + std::to_string(i);
        const Bound b = eval(e, name);
        if (b.none) compositeError(e.pos, "output " + std::to_string(i) + " is None");
        out.push_back(materialise(b, e, std::nullopt, name));
    }
    return out;
}

Bound CompositeEmitter::eval(const Expr& e, const std::string& nameHint) {
    switch (e.kind) {
        case Expr::Kind::Name: return evalName(e);
        case Expr::Kind::Call: return evalCall(e, nameHint);
        case Expr::Kind::Index: {
            Bound of = eval(*e.items.front(), nameHint);
            if (of.outputs.empty())
                compositeError(e.pos, "[" + std::to_string(e.index) + "] picks an output of a multi-output op, but "
                                      "this expression has a single value");
            if (e.index >= static_cast<int64_t>(of.outputs.size()))
                compositeError(e.pos, "output index " + std::to_string(e.index) + " is out of range: the op has " +
                                          std::to_string(of.outputs.size()) + " outputs");
            Bound b;
            b.tensor = of.outputs[static_cast<size_t>(e.index)];
            return b;
        }
        default: return literalValue(e);
    }
}

Bound CompositeEmitter::evalName(const Expr& e) {
    if (auto it = args_.find(e.text); it != args_.end()) return it->second;
    if (const auto* c = findNamed(composite_.constants, e.text)) return literalValue(**c);
    if (const auto* let = findNamed(composite_.lets, e.text)) {
        if (auto it = lets_.find(e.text); it != lets_.end()) return it->second;
        if (std::find(evaluating_.begin(), evaluating_.end(), e.text) != evaluating_.end())
            compositeError(e.pos, "'" + e.text + "' is defined in terms of itself");
        evaluating_.push_back(e.text);
        Bound b = eval(**let, prefix_ + "_" + e.text);
        evaluating_.pop_back();
        return lets_[e.text] = b;
    }
    if (composite_.schema.indexOf(e.text) >= 0)  // declared but not bound: a check without an example
        compositeError(e.pos, "argument '" + e.text + "' has no value here",
                       "give it a default in the schema or an example under example.inputs");
    std::vector<std::string> known = argumentNames(composite_);
    for (const auto& [n, _] : composite_.lets) known.push_back(n);
    for (const auto& [n, _] : composite_.constants) known.push_back(n);
    compositeError(e.pos, "unknown name '" + e.text + "': not an argument of " + composite_.schema.op + " (" +
                              join(argumentNames(composite_)) + "), a let or a constant",
                   "the names in scope are: " + join(known));
}

mil::Value* CompositeEmitter::materialise(const Bound& b, const Expr& at, std::optional<DType> peer, const std::string& nameHint) {
    if (b.none) compositeError(at.pos, "this value is None in the model, and a MIL op cannot take None");
    if (!b.outputs.empty())
        compositeError(at.pos, "this op has " + std::to_string(b.outputs.size()) + " outputs: pick one with [i]");
    if (b.tensor) return b.tensor;
    Tensor t = *b.constant;
    // Only scalars adapt: a list literal is an argument of its own (axes, shapes), not an operand.
    if (b.weak && peer && t.rank() == 0 && t.dtype() != *peer && t.dtype() != DType::Bool && t.dtype() != DType::String) {
        if (isFloat(t.dtype()) && !isFloat(*peer))
            compositeError(at.pos, "a fractional number where the op's other inputs are " + dtypeName(*peer),
                           "write an integer, or cast the other inputs (cast(x=..., dtype=\"fp32\"))");
        t = t.castTo(*peer);
    }
    return builder_.constant(t, nameHint);
}

Bound CompositeEmitter::evalCall(const Expr& e, const std::string& nameHint) {
    const mil::OpDecl* decl = mil::OpRegistry::instance().find(e.text, builder_.target());
    if (!decl) {
        const bool later = mil::OpRegistry::instance().find(e.text, mil::Target::iOS18) != nullptr;
        compositeError(e.pos, later ? "MIL op '" + e.text + "' needs a newer deployment target than " +
                                          mil::targetName(builder_.target())
                                    : "unknown MIL op '" + e.text + "'",
                       later ? "raise the composite's target (target: iOS17 ...) and the conversion's --target"
                             : "use an op of Core ML's MIL opset (the list is in docs/composites.md)");
    }
    std::vector<std::string> declared;
    for (const mil::InputDecl& d : decl->inputs) declared.push_back(d.name);
    for (size_t i = 0; i < e.args.size(); ++i)
        if (std::find(declared.begin(), declared.end(), e.args[i].first) == declared.end())
            compositeError(e.argPos[i], "MIL op '" + e.text + "' has no argument '" + e.args[i].first + "'",
                           "its arguments are: " + join(declared));
    std::vector<std::string> missing, required, optional;
    for (const mil::InputDecl& d : decl->inputs) {
        (d.optional ? optional : required).push_back(d.name);
        if (!d.optional && std::none_of(e.args.begin(), e.args.end(), [&](const auto& a) { return a.first == d.name; }))
            missing.push_back(d.name);
    }
    if (!missing.empty())
        compositeError(e.pos, "wrong number of arguments: MIL op '" + e.text + "' needs " + std::to_string(required.size()) +
                                  " (" + join(required) + (optional.empty() ? "" : "; optional: " + join(optional)) + "), " +
                                  std::to_string(e.args.size()) + " given; missing " + join(missing));

    // Arguments first, then weak constants in the element type their strongly typed peers share.
    std::vector<Bound> values;
    for (const auto& [name, arg] : e.args) values.push_back(eval(*arg, nameHint + "_" + name));
    std::optional<DType> peer;
    bool mixed = false;
    for (const Bound& b : values) {
        if (b.none || !b.outputs.empty()) continue;
        const DType d = b.tensor ? b.tensor->type.dtype : b.constant->dtype();
        if (b.weak || d == DType::Bool || d == DType::String) continue;
        if (peer && *peer != d) mixed = true;
        peer = d;
    }
    if (mixed) peer.reset();
    std::vector<mil::OpInput> inputs;
    for (size_t i = 0; i < e.args.size(); ++i) {
        mil::Value* v = materialise(values[i], *e.args[i].second, peer, nameHint + "_" + e.args[i].first);
        inputs.push_back({e.args[i].first, {v}});
    }
    std::vector<mil::Value*> outs;
    try {
        outs = builder_.add(e.text, std::move(inputs), nameHint);
    } catch (const Error& err) {
        compositeError(e.pos, "MIL op '" + e.text + "' rejects its arguments: " + err.message(),
                       "check the arguments' element types and shapes against the op (docs/composites.md)");
    }
    Bound b;
    if (outs.size() == 1) b.tensor = outs.front();
    else b.outputs = outs;
    return b;
}

}  // namespace cms::lower
