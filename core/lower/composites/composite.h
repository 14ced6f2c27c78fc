#pragma once
// A composite operator: a source op (e.g. aten::hardshrink) defined as a composition of MIL ops,
// loaded from a declarative file (docs/composites.md). This header is the parsed form.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mil/program.h"
#include "mil/target.h"

namespace cms::lower {

// Where something was written: "file.yaml:12:18" in errors.
struct SourcePos {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based
    std::string describe() const;
};

// One argument of the source op's TorchScript schema, e.g. "Scalar lambd=0.5".
struct SchemaArg {
    std::string name;
    std::string type;                  // as written: Tensor, Scalar, float, int, bool, int[], str, Tensor? ...
    std::optional<std::string> value;  // the default, as written
    bool isTensor() const;             // Tensor or Tensor?
    bool optional() const { return !type.empty() && type.back() == '?'; }
};

// "aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor"
struct OpSchema {
    std::string op;  // "aten::hardshrink"
    std::vector<SchemaArg> args;
    std::vector<std::string> returns;  // return types
    const SchemaArg* arg(const std::string& name) const;
    int indexOf(const std::string& name) const;  // -1 when absent
    std::string toString() const;
};

// The expression language: literals, names, MIL op applications with named arguments, lists,
// and `expr[i]` selecting one output of a multi-output op.
struct Expr {
    enum class Kind { Number, Bool, String, Name, Call, List, Index };
    Kind kind = Kind::Number;
    SourcePos pos;
    double number = 0;
    bool isInteger = false;  // written without '.', 'e' (an int literal)
    bool boolean = false;
    std::string text;  // Name: the name; Call: the MIL op; String: the value
    std::vector<std::pair<std::string, std::unique_ptr<Expr>>> args;  // Call: named arguments, in order
    std::vector<SourcePos> argPos;                                    // Call: where each argument's name is
    std::vector<std::unique_ptr<Expr>> items;                         // List items; Index: the indexed expr
    int64_t index = 0;                                                // Index
};

// An example type for the load-time check: "fp32[2,3,4]" (tensor) or a scalar value.
struct ExampleValue {
    bool isTensor = false;
    mil::TensorType type;
    std::shared_ptr<Expr> value;  // a literal, for non-tensor arguments
};

struct Composite {
    OpSchema schema;
    SourcePos pos;        // where the composite's entry starts
    std::string summary;  // plain language: what the source op computes
    mil::Target target = mil::Target::iOS15;  // the oldest deployment target its MIL ops allow
    std::vector<std::pair<std::string, std::shared_ptr<Expr>>> constants;  // named literals
    std::vector<std::pair<std::string, std::shared_ptr<Expr>>> lets;       // named intermediate results, in order
    std::vector<std::shared_ptr<Expr>> outputs;
    // The load-time check's example signature: argument -> example, and the expected output types.
    std::map<std::string, ExampleValue> exampleInputs;
    std::vector<mil::TensorType> expectedOutputs;
    SourcePos expectedPos;
    std::string origin;  // "built-in", "built-in optional set NAME" or the user's file
};

}  // namespace cms::lower
