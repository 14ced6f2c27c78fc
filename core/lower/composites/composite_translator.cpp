#include "lower/composites/composite_translator.h"

#include "common/error.h"
#include "lower/composites/composite_emitter.h"
#include "lower/constant_values.h"

namespace cms::lower {

namespace {

Bound argumentValue(LowerContext& ctx, const SchemaArg& arg, const ir::Value* v) {
    Bound b;
    if (ctx.isNone(v)) {
        b.none = true;
        return b;
    }
    if (arg.isTensor() || !ctx.isConstant(v)) {
        b.tensor = ctx.tensor(v);  // a tensor, or a scalar only known at run time
        return b;
    }
    const ir::Constant& c = ctx.constant(v);
    if (const auto* s = std::get_if<std::string>(&c)) {
        b.constant = Tensor::string(*s);
        return b;
    }
    std::optional<Tensor> t = tensorOf(c);
    if (!t) ctx.fail("argument '" + arg.name + "' has a value a composite cannot use (" + constantToString(c) + ")");
    // Python numbers (torch Scalars) adapt to the tensors they meet; constant tensors keep their type.
    b.weak = !std::holds_alternative<Tensor>(c);
    if (t->dtype() == DType::Int64) *t = t->castTo(DType::Int32);
    if (t->dtype() == DType::Float64) *t = t->castTo(DType::Float32);
    b.constant = *t;
    return b;
}

}  // namespace

Translator compositeTranslator(std::shared_ptr<const Composite> composite) {
    return [composite](LowerContext& ctx, const ir::Node& node) {
        const Composite& c = *composite;
        const std::string where = "the composite for " + c.schema.op + " (" + c.pos.describe() + ")";
        if (node.inputs.size() > c.schema.args.size())
            ctx.fail("this " + node.kind + " has " + std::to_string(node.inputs.size()) + " arguments but " + where +
                         " declares " + std::to_string(c.schema.args.size()) + ": " + c.schema.toString(),
                     "give the composite's op: the op's full TorchScript schema (`coreml-cli ops MODEL --json` shows it)");
        if (node.outputs.size() != c.outputs.size())
            ctx.fail("this " + node.kind + " has " + std::to_string(node.outputs.size()) + " outputs but " + where +
                     " computes " + std::to_string(c.outputs.size()));
        std::vector<std::string> names;
        for (const ir::Value* out : node.outputs) names.push_back(ctx.nameFor(out));
        CompositeEmitter emitter(c, ctx.builder(), names.front());
        try {
            for (size_t i = 0; i < c.schema.args.size(); ++i)
                emitter.bindArgument(c.schema.args[i].name, i < node.inputs.size()
                                                               ? argumentValue(ctx, c.schema.args[i], node.inputs[i])
                                                               : defaultValue(c.schema.args[i], c.pos));
            const std::vector<mil::Value*> outs = emitter.emitOutputs(names);
            for (size_t i = 0; i < outs.size(); ++i) ctx.bind(node.outputs[i], outs[i]);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Settings) throw;
            ctx.fail(where + " does not apply here: " + e.file() + ": " + e.message(), e.hint());
        }
    };
}

}  // namespace cms::lower
