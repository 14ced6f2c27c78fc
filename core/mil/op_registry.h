#pragma once
// MIL ops declared as data: name, the opset that introduces (or re-versions) the op, its inputs
// with their type constraints, and its type/shape inference. The builder, the verifier, the
// package reader and the analyses all read these declarations.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mil/program.h"

namespace cms::mil {

struct InputDecl {
    std::string name;
    bool optional = false;
    bool list = false;         // binds a list of values (e.g. concat "values")
    bool mustBeConst = false;  // Core ML requires a compile-time constant here
    std::vector<DType> dtypes;  // allowed element types; empty means any
};

// What a type-inference function may look at: input types and, where const, input values.
class InferContext {
public:
    InferContext(const Operation& op, Target target) : op_(op), target_(target) {}
    const Operation& op() const { return op_; }
    Target target() const { return target_; }

    bool has(const std::string& name) const { return op_.hasInput(name); }
    const TensorType& type(const std::string& name) const;   // of a single-valued input
    const Value& value(const std::string& name) const;
    size_t listSize(const std::string& name) const;
    const Value& listValue(const std::string& name, size_t i) const;
    // Const input values; these throw the op's error when the input is missing or not const.
    const Tensor& constant(const std::string& name) const;
    bool isConst(const std::string& name) const;
    std::vector<int64_t> ints(const std::string& name) const;
    int64_t intValue(const std::string& name) const;
    double floatValue(const std::string& name) const;
    bool boolValue(const std::string& name) const;
    std::string stringValue(const std::string& name) const;
    // Same, with a default when the optional input is absent.
    int64_t intOr(const std::string& name, int64_t dflt) const { return has(name) ? intValue(name) : dflt; }
    bool boolOr(const std::string& name, bool dflt) const { return has(name) ? boolValue(name) : dflt; }
    std::string stringOr(const std::string& name, const std::string& dflt) const { return has(name) ? stringValue(name) : dflt; }
    std::vector<int64_t> intsOr(const std::string& name, std::vector<int64_t> dflt) const { return has(name) ? ints(name) : dflt; }

    // Normalises a possibly negative axis against `rank`, failing with the op's name when out of range.
    int64_t axis(int64_t a, int64_t rank) const;
    [[noreturn]] void fail(const std::string& message) const;

private:
    const Operation& op_;
    Target target_;
};

using InferFn = std::function<std::vector<TensorType>(const InferContext&)>;

struct OpDecl {
    std::string name;
    Target since = Target::iOS15;  // the opset that introduces this version of the op
    std::vector<InputDecl> inputs;
    InferFn infer;
    std::string summary;  // one line, plain language: what the op computes
};

class OpRegistry {
public:
    // The registry with every op family registered (built once, on first use).
    static const OpRegistry& instance();

    void add(OpDecl decl);
    // The newest declaration of `name` whose `since` is not newer than `target`; null if none.
    const OpDecl* find(const std::string& name, Target target) const;
    std::vector<std::string> opNames(Target target) const;

private:
    std::map<std::string, std::vector<OpDecl>> decls_;  // per name, ordered by `since`
};

// Checks an op against its declaration: known op for the target, required inputs present, no
// unknown inputs, dtypes allowed, const-ness. Throws cms::Error (Conversion) naming the op.
void verifyOp(const Operation& op, Target target);
// Runs the declaration's inference; throws when the op is unknown or inference fails.
std::vector<TensorType> inferTypes(const Operation& op, Target target);

}  // namespace cms::mil
