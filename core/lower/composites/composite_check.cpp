#include "lower/composites/composite_check.h"

#include "lower/composites/composite_emitter.h"
#include "lower/composites/composite_syntax.h"
#include "mil/builder.h"

namespace cms::lower {

namespace {

const mil::TensorType kDefaultExample{DType::Float32, {2, 3, 4, 5}};

}  // namespace

void checkComposite(const Composite& c) {
    mil::Program program;
    program.target = c.target;
    mil::Function& fn = program.addFunction("main", c.target);
    mil::Builder builder(program, fn.body, c.target);
    CompositeEmitter emitter(c, builder, "check");

    std::vector<mil::TensorType> expected = c.expectedOutputs;
    bool firstTensor = true;
    for (const SchemaArg& arg : c.schema.args) {
        const auto ex = c.exampleInputs.find(arg.name);
        Bound b;
        if (arg.isTensor()) {
            if (ex == c.exampleInputs.end() && arg.optional()) {
                b.none = true;
            } else {
                const mil::TensorType type = ex == c.exampleInputs.end() ? kDefaultExample : ex->second.type;
                b.tensor = program.newValue(arg.name, type);
                fn.inputs.push_back(b.tensor);
                if (firstTensor && c.expectedOutputs.empty()) expected.assign(c.outputs.size(), type);
                firstTensor = false;
            }
        } else if (ex != c.exampleInputs.end()) {
            b = literalValue(*ex->second.value);
        } else if (arg.value) {
            b = defaultValue(arg, c.pos);
        } else {
            continue;  // using it reports "has no value here" at the use
        }
        emitter.bindArgument(arg.name, b);
    }
    if (expected.empty())
        compositeError(c.pos, c.schema.op + " has no tensor argument, so the check cannot infer its output type",
                       "list the expected output types under example.outputs");

    const std::vector<mil::Value*> outs = emitter.emitOutputs();
    for (size_t i = 0; i < outs.size() && i < expected.size(); ++i) {
        const mil::TensorType& got = outs[i]->type;
        if (got == expected[i]) continue;
        const bool dtype = got.dtype != expected[i].dtype;
        compositeError(c.outputs[i]->pos,
                       std::string(dtype ? "dtype mismatch" : "wrong output shape") + ": on the example signature, output " +
                           std::to_string(i) + " of " + c.schema.op + " is " + got.toString() + " but " +
                           expected[i].toString() + " is expected",
                       c.expectedOutputs.empty()
                           ? "an elementwise op keeps its first tensor argument's type; if this op does not, give the "
                             "expected types under example.outputs"
                           : "fix the expression, or the types under example.outputs");
    }
}

}  // namespace cms::lower
