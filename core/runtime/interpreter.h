#pragma once
// Runs an ML Program read from an .mlpackage on the CPU, so converted models can be checked
// against their source without a Mac. Op semantics follow Core ML's op definitions and are
// implemented here independently of the converter's lowering: a lowering mistake shows up as a
// mismatch instead of being reproduced. fp16 values are rounded to half precision after every op
// (overflow becomes +-inf, as on device). libtorch stays behind the pimpl.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "ir/provenance.h"
#include "package/package.h"

namespace cms::runtime {

// What an observer sees after each executed op: its outputs (in the op's declared dtype) and
// where it came from. The tensors borrow the interpreter's buffers; copy what must outlive the call.
struct OpEvent {
    size_t index = 0;  // position in execution order, const ops excluded
    const std::string& opType;
    const std::string& opName;
    const ir::Provenance& provenance;  // empty when the package has no provenance for the op
    const std::vector<std::string>& outputNames;
    const std::vector<Tensor>& outputs;
};
using OpObserver = std::function<void(const OpEvent&)>;

// Every intermediate value of one run (inputs, constants and op outputs of the main function),
// recorded so that later runs on the same inputs that change only some constants can reuse every
// value that does not depend on them: sensitivity analysis runs a model once per weight setting.
class RunTrace {
public:
    RunTrace();
    ~RunTrace();
    RunTrace(RunTrace&&) noexcept;
    RunTrace& operator=(RunTrace&&) noexcept;
    bool empty() const;

private:
    friend class Interpreter;
    struct Data;
    std::unique_ptr<Data> data_;
};

struct RunOptions {
    OpObserver observer;  // called after every non-const op of the main function that runs
    // Top-level constants of the main function replaced for this run only, by value name (the name a
    // compressed weight's constexpr output keeps); each must have the constant's shape.
    std::map<std::string, Tensor> constants;
    RunTrace* record = nullptr;       // keep every value of this run there (nothing is released early)
    const RunTrace* reuse = nullptr;  // a trace recorded on the same inputs: only ops that depend on
                                      // a replaced constant run, the others keep their recorded outputs
};

// The states of a stateful model (iOS18), as Core ML's MLState: made by Interpreter::makeState() with every
// state zero, passed to each run, which reads and updates them in place. One state object per sequence.
class State {
public:
    State();
    ~State();
    State(State&&) noexcept;
    State& operator=(State&&) noexcept;
    std::vector<std::string> names() const;
    // The tensor a state holds now (fp16, as Core ML keeps it); throws cms::Error (Input) for an unknown name.
    Tensor value(const std::string& name) const;

private:
    friend class Interpreter;
    struct Data;
    std::unique_ptr<Data> data_;
};

class Interpreter {
public:
    // Prepares the package's main function once: every constant and constexpr op is decoded to a
    // runtime tensor here, not per run. Throws cms::Error (Unsupported) naming the first op it
    // cannot run, with its type, name and source node.
    explicit Interpreter(package::PackageContents contents);
    static Interpreter fromPackage(const std::string& mlpackagePath);  // readPackage() + prepare
    ~Interpreter();
    Interpreter(Interpreter&&) noexcept;
    Interpreter& operator=(Interpreter&&) noexcept;

    // Inputs by name; their shapes and dtypes must match the program's main function. Image inputs
    // take pixel values in [0, 255] as fp32 [1, C, H, W] in the package's colour layout: the program
    // itself applies the preprocessing. Returns the main function's outputs by name.
    // A model with states runs here on fresh (zero) states, so every run starts from the same state.
    std::map<std::string, Tensor> run(const std::map<std::string, Tensor>& inputs, const RunOptions& options = {}) const;
    // Runs on `state` (from makeState() of this interpreter), which keeps what the run wrote into it.
    std::map<std::string, Tensor> run(const std::map<std::string, Tensor>& inputs, State& state,
                                      const RunOptions& options = {}) const;
    // The model's states, each zero (empty for a model without states).
    State makeState() const;

    // A top-level constant of the main function as prepared (constexpr ops decoded), by value name.
    // Throws cms::Error (Input) when there is no such constant.
    Tensor constant(const std::string& name) const;

    const package::ModelDescription& description() const;
    const mil::Program& program() const;
    int specificationVersion() const;
    // The main function's inputs (states excluded: they are not given to run()) and outputs with their MIL
    // types, in order; and its states.
    std::vector<std::pair<std::string, mil::TensorType>> inputTypes() const;
    std::vector<std::pair<std::string, mil::TensorType>> stateTypes() const;
    std::vector<std::pair<std::string, mil::TensorType>> outputTypes() const;

    // Op types the interpreter can execute (for documentation and coverage tests).
    static std::vector<std::string> supportedOps();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cms::runtime
