#pragma once
// Evaluates a composite's expressions into MIL ops through a Builder: the one code path behind
// both the load-time check (on an example signature) and the translation of a model's node.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lower/composites/composite.h"
#include "mil/builder.h"

namespace cms::lower {

// What a name or an expression stands for while a composite is evaluated.
struct Bound {
    mil::Value* tensor = nullptr;
    std::optional<Tensor> constant;  // known at conversion time
    // Literals and torch Scalars take the element type of the op's other inputs (Python's rule),
    // so `mul(x: self, y: 2)` works on any float tensor.
    bool weak = false;
    bool none = false;
    std::vector<mil::Value*> outputs;  // a multi-output op, before `[i]` picks one
};

// A literal's value as a weakly typed constant (numbers, bools, strings, lists of numbers).
Bound literalValue(const Expr& e);
// A schema default ("0.5", "True", "None", "[1, 1]") as a bound value; none for "None" or no default.
Bound defaultValue(const SchemaArg& arg, const SourcePos& pos);

class CompositeEmitter {
public:
    CompositeEmitter(const Composite& composite, mil::Builder& builder, std::string namePrefix);
    void bindArgument(const std::string& name, Bound value);
    // Emits the ops; output i's last op is named outputNames[i] when given.
    std::vector<mil::Value*> emitOutputs(const std::vector<std::string>& outputNames = {});

private:
    Bound eval(const Expr& e, const std::string& nameHint);
    Bound evalName(const Expr& e);
    Bound evalCall(const Expr& e, const std::string& nameHint);
    mil::Value* materialise(const Bound& b, const Expr& at, std::optional<DType> peer, const std::string& nameHint);

    const Composite& composite_;
    mil::Builder& builder_;
    std::string prefix_;
    std::map<std::string, Bound> args_;
    std::map<std::string, Bound> lets_;
    std::vector<std::string> evaluating_;  // let names being evaluated, to report cycles
};

}  // namespace cms::lower
