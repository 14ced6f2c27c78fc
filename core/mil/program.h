#pragma once
// The in-memory ML Program: functions of blocks of operations over named SSA values.
// Constants are explicit `const` ops, as in Core ML's MIL, so every pass sees one uniform form.
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/tensor.h"
#include "ir/provenance.h"
#include "mil/target.h"

namespace cms::mil {

constexpr int64_t kUnknownDim = -1;

struct TensorType {
    DType dtype = DType::Float32;
    Shape shape;  // kUnknownDim marks a dimension only known at run time
    // A state (iOS18) wrapping a tensor of this dtype and shape: only read_state and coreml_update_state
    // take it, and it persists across predictions.
    bool state = false;
    bool operator==(const TensorType& o) const { return dtype == o.dtype && shape == o.shape && state == o.state; }
    bool operator!=(const TensorType& o) const { return !(*this == o); }
    int64_t rank() const { return static_cast<int64_t>(shape.size()); }
    bool isStatic() const;
    std::string toString() const;  // "fp32[1,3,224,224]"
};

struct Operation;
struct Block;

struct Value {
    std::string name;
    TensorType type;
    Operation* producer = nullptr;  // null for function inputs
    // Set on outputs of `const` ops; shared with the op's "val" attribute.
    std::optional<Tensor> constValue;
    bool isConst() const { return constValue.has_value(); }
};

// One named input of an op binds one value, or a list of values (e.g. concat's "values").
struct OpInput {
    std::string name;
    std::vector<Value*> values;
};

struct Operation {
    std::string type;                 // MIL op type: "conv", "add", "const" ...
    std::string name;                 // unique op name (Core ML's "name" attribute)
    std::vector<OpInput> inputs;      // declaration order
    std::vector<Value*> outputs;
    std::vector<std::unique_ptr<Block>> blocks;  // control flow bodies
    ir::Provenance prov;              // the source node this op was lowered from

    Value* input(const std::string& n) const;  // the single value bound to n, or null
    const std::vector<Value*>* inputList(const std::string& n) const;
    bool hasInput(const std::string& n) const { return inputList(n) != nullptr; }
    Value* output() const { return outputs.empty() ? nullptr : outputs.front(); }
};

struct Block {
    std::vector<Value*> inputs;
    std::vector<std::unique_ptr<Operation>> ops;  // topological order
    std::vector<Value*> outputs;
};

struct Function {
    std::string name = "main";
    std::vector<Value*> inputs;
    Target opset = Target::iOS15;
    Block body;
};

class Program {
public:
    Program() = default;
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;
    Program(Program&&) = default;
    Program& operator=(Program&&) = default;

    Target target = Target::iOS15;
    std::map<std::string, Function> functions;
    Function& main() { return functions.at("main"); }
    const Function& main() const { return functions.at("main"); }
    Function& addFunction(const std::string& name, Target opset);

    // Values live as long as the program; a removed op leaves its values unreferenced.
    Value* newValue(const std::string& nameHint, TensorType type);
    // A value with exactly `name`, which the caller has reserved through uniqueName().
    Value* newValueNamed(const std::string& name, TensorType type);
    // A fresh name derived from `hint`, sanitised to [A-Za-z_][A-Za-z0-9_]* and unique in this program.
    std::string uniqueName(const std::string& hint);
    void reserveName(const std::string& name) { names_.insert(name); }

private:
    std::deque<std::unique_ptr<Value>> values_;
    std::set<std::string> names_;
};

// Helpers shared by passes, the writer and tests.
std::vector<Operation*> opsOf(Block& b);
size_t countOps(const Program& p);  // all ops in all functions and nested blocks, consts included
// Users of every value in a block (and nested blocks): value -> ops that read it. Block outputs
// are not ops; check `isBlockOutput` for them.
std::map<const Value*, std::vector<Operation*>> buildUses(Block& b);
bool isBlockOutput(const Block& b, const Value* v);
// Replace every use of `from` by `to` in the block (nested blocks and block outputs included).
void replaceAllUses(Block& b, Value* from, Value* to);
// Text listing of the program in a MIL-like syntax, for debugging and golden tests.
std::string dumpProgram(const Program& p);

}  // namespace cms::mil
