#include "runtime/interpreter.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {

bool isConstexpr(const std::string& type) { return type.rfind("constexpr_", 0) == 0; }

std::string opLabel(const mil::Operation& op) { return op.type + " op '" + op.name + "'"; }

[[noreturn]] void opError(const mil::Operation& op, const std::string& what, const std::string& hint) {
    throw Error(ErrorKind::Unsupported, opLabel(op) + ": " + what, {"", op.prov.describe()}, hint);
}

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

const char* kReportHint = "this is a bug in the interpreter or an invalid package; please report it with the model";

}  // namespace

struct Interpreter::Impl {
    struct Step;
    // The steps of one block, in order; nested blocks of control-flow ops have their own plans.
    struct Plan {
        std::vector<Step> steps;
        std::vector<size_t> inputs, outputs;  // slots of the block's inputs and outputs
    };
    struct Step {
        const mil::Operation* op = nullptr;
        Kernel kernel = nullptr;      // null for control flow (cond, while_loop), run by the interpreter
        std::vector<size_t> inputs;   // slots, in op input order (lists flattened)
        std::vector<size_t> outputs;  // slots
        std::vector<size_t> release;  // slots whose last reader is this step (top-level steps only)
        std::vector<std::string> outputNames;
        std::vector<Plan> blocks;
    };

    package::PackageContents contents;
    mil::Target opset = mil::Target::iOS15;
    std::map<const mil::Value*, size_t> slotOf;
    std::vector<at::Tensor> prepared;  // constant slots filled at preparation, others empty
    std::vector<std::pair<std::string, size_t>> inputSlots, outputSlots;
    std::map<std::string, const mil::Value*> constants;  // top-level constants (constexpr results too) by name
    Plan main;

    explicit Impl(package::PackageContents c) : contents(std::move(c)) {}

    size_t slot(const mil::Value* v) {
        auto [it, added] = slotOf.emplace(v, prepared.size());
        if (added) prepared.emplace_back();
        return it->second;
    }

    std::vector<at::Tensor> execute(const Step& s, const std::vector<at::Tensor>& values) const {
        std::vector<const at::Tensor*> args;
        args.reserve(s.inputs.size());
        for (size_t i : s.inputs) {
            if (!values[i].defined() && !isStringConst(s, args.size()))
                opError(*s.op, "an input is used before it is computed", kReportHint);
            args.push_back(&values[i]);
        }
        const KernelContext ctx(*s.op, opset, args);
        std::vector<at::Tensor> out;
        try {
            out = s.kernel(ctx);
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            opError(*s.op, "failed: " + firstLine(e.what_without_backtrace()),
                    "check the op's inputs; if the package came from this converter, please report it");
        } catch (const std::exception& e) {
            opError(*s.op, std::string("failed: ") + firstLine(e.what()), kReportHint);
        }
        conformOutputs(s, out);
        return out;
    }

    // Brings results to the declared dtypes and checks them against the declared shapes.
    static void conformOutputs(const Step& s, std::vector<at::Tensor>& out) {
        if (out.size() != s.op->outputs.size())
            opError(*s.op,
                    "produced " + std::to_string(out.size()) + " outputs, the package declares " +
                        std::to_string(s.op->outputs.size()),
                    kReportHint);
        for (size_t i = 0; i < out.size(); ++i) {
            const mil::TensorType& t = s.op->outputs[i]->type;
            out[i] = conformTo(out[i], t.dtype);
            bool matches = static_cast<int64_t>(t.shape.size()) == out[i].dim();
            for (size_t d = 0; matches && d < t.shape.size(); ++d)
                matches = t.shape[d] == mil::kUnknownDim || t.shape[d] == out[i].size(static_cast<int64_t>(d));
            if (!matches)
                opError(*s.op,
                        "output " + s.op->outputs[i]->name + " has shape " +
                            shapeToString(Shape(out[i].sizes().begin(), out[i].sizes().end())) +
                            " but the package declares " + t.toString(),
                        "the converter's shape inference and the op's semantics disagree; please report the model");
        }
    }

    static bool scalarTrue(const Step& s, const at::Tensor& t) {
        if (!t.defined() || t.numel() != 1) opError(*s.op, "its condition is not a single bool", kReportHint);
        return t.item<bool>();
    }

    // Runs a nested block on `values` (shared slots) after binding its inputs; returns its outputs.
    std::vector<at::Tensor> runBlock(const Plan& plan, const std::vector<at::Tensor>& args, std::vector<at::Tensor>& values) const {
        for (size_t i = 0; i < plan.inputs.size(); ++i) values[plan.inputs[i]] = args.at(i);
        runPlan(plan, values, nullptr, nullptr, nullptr, true);
        std::vector<at::Tensor> out;
        for (size_t o : plan.outputs) out.push_back(values[o]);
        return out;
    }

    // cond and while_loop, as Core ML defines them: cond runs its first block when pred is true and
    // its second otherwise; while_loop runs its condition block on the loop variables and, while it
    // returns true, its body block, whose outputs become the next loop variables.
    std::vector<at::Tensor> executeControlFlow(const Step& s, std::vector<at::Tensor>& values) const {
        std::vector<at::Tensor> args;
        for (size_t i : s.inputs) {
            if (!values[i].defined()) opError(*s.op, "an input is used before it is computed", kReportHint);
            args.push_back(values[i]);
        }
        std::vector<at::Tensor> out;
        if (s.op->type == "cond") {
            out = runBlock(s.blocks.at(scalarTrue(s, args.at(0)) ? 0 : 1), {}, values);
        } else {
            out = args;
            while (scalarTrue(s, runBlock(s.blocks.at(0), out, values).at(0))) out = runBlock(s.blocks.at(1), out, values);
        }
        conformOutputs(s, out);
        return out;
    }

    // With `changed` (one flag per slot), only steps reading a changed slot run and their outputs
    // become changed; the others keep the values already in `values` (a recorded run's).
    void runPlan(const Plan& plan, std::vector<at::Tensor>& values, const OpObserver* observer,
                 std::vector<Tensor>* observed, std::vector<char>* changed, bool release) const {
        for (size_t index = 0; index < plan.steps.size(); ++index) {
            const Step& s = plan.steps[index];
            if (changed && !readsChanged(s, *changed)) {
                if (release)
                    for (size_t r : s.release) values[r] = at::Tensor();
                continue;
            }
            if (changed)
                for (size_t o : s.outputs) (*changed)[o] = 1;
            std::vector<at::Tensor> out = s.kernel ? execute(s, values) : executeControlFlow(s, values);
            for (size_t i = 0; i < out.size(); ++i) values[s.outputs[i]] = std::move(out[i]);
            if (observer && *observer) {
                observed->clear();
                for (size_t i = 0; i < s.outputs.size(); ++i)
                    observed->push_back(fromRuntime(values[s.outputs[i]], s.op->outputs[i]->type.dtype));
                (*observer)(OpEvent{index, s.op->type, s.op->name, s.op->prov, s.outputNames, *observed});
            }
            if (release)
                for (size_t r : s.release) values[r] = at::Tensor();
        }
    }

    static bool readsChanged(const Step& s, const std::vector<char>& changed) {
        if (s.blocks.empty())
            return std::any_of(s.inputs.begin(), s.inputs.end(), [&](size_t i) { return changed[i] != 0; });
        std::set<size_t> read;
        slotsRead(s, read);
        return std::any_of(read.begin(), read.end(), [&](size_t i) { return changed[i] != 0; });
    }

    // String consts (pad types, modes) have no runtime tensor; kernels read them from the program.
    static bool isStringConst(const Step& s, size_t flatIndex) {
        size_t i = 0;
        for (const mil::OpInput& in : s.op->inputs)
            for (const mil::Value* v : in.values)
                if (i++ == flatIndex) return v->constValue && v->constValue->dtype() == DType::String;
        return false;
    }

    // Every slot a step reads, its nested blocks' reads and outputs included.
    static void slotsRead(const Step& s, std::set<size_t>& out) {
        out.insert(s.inputs.begin(), s.inputs.end());
        for (const Plan& p : s.blocks) {
            out.insert(p.outputs.begin(), p.outputs.end());
            for (const Step& inner : p.steps) slotsRead(inner, out);
        }
    }

    void compileBlock(const mil::Block& block, Plan& plan) {
        const KernelTable& table = kernelTable();
        for (const mil::Value* v : block.inputs) plan.inputs.push_back(slot(v));
        for (const auto& opPtr : block.ops) {
            const mil::Operation& op = *opPtr;
            if (op.type == "const") {
                const mil::Value* out = op.output();
                if (!out || !out->constValue) opError(op, "has no value", kReportHint);
                const size_t s = slot(out);
                if (out->constValue->dtype() != DType::String) prepared[s] = toRuntime(*out->constValue);
                continue;
            }
            const bool controlFlow = op.type == "cond" || op.type == "while_loop";
            const auto kernel = table.find(op.type);
            if (!controlFlow && kernel == table.end())
                opError(op, "the interpreter cannot run op type '" + op.type + "'",
                        "the interpreter has no kernel for this op type; verify the model on a Mac, or report "
                        "the op so it can be added");
            if (controlFlow != !op.blocks.empty() || (controlFlow && op.blocks.size() != 2))
                opError(op, "has " + std::to_string(op.blocks.size()) + " nested block(s), which this op type does not take",
                        kReportHint);
            Step step;
            step.op = &op;
            step.kernel = controlFlow ? nullptr : kernel->second;
            for (const mil::OpInput& in : op.inputs)
                for (const mil::Value* v : in.values) {
                    if (!slotOf.count(v))
                        opError(op, "reads " + v->name + ", which is not defined before it", kReportHint);
                    step.inputs.push_back(slot(v));
                }
            for (const auto& sub : op.blocks) {
                step.blocks.emplace_back();
                compileBlock(*sub, step.blocks.back());
            }
            for (const mil::Value* v : op.outputs) {
                step.outputs.push_back(slot(v));
                step.outputNames.push_back(v->name);
            }
            if (isConstexpr(op.type)) {
                // Decoded once: the result becomes a constant like any other.
                const std::vector<at::Tensor> out = execute(step, prepared);
                for (size_t i = 0; i < out.size(); ++i) prepared[step.outputs[i]] = out[i];
                continue;
            }
            plan.steps.push_back(std::move(step));
        }
        for (const mil::Value* v : block.outputs) {
            if (!slotOf.count(v))
                throw Error(ErrorKind::Package, std::string(&block == &contents.program.main().body ? "the main function" : "a block") +
                                                    " returns " + v->name + ", which is never computed");
            plan.outputs.push_back(slot(v));
        }
    }

    void prepare() {
        const mil::Function& fn = contents.program.main();
        opset = fn.opset;
        for (const mil::Value* v : fn.inputs) inputSlots.emplace_back(v->name, slot(v));
        compileBlock(fn.body, main);
        for (size_t i = 0; i < fn.body.outputs.size(); ++i) outputSlots.emplace_back(fn.body.outputs[i]->name, main.outputs[i]);
        for (const auto& op : fn.body.ops)
            if (op->type == "const" || isConstexpr(op->type))
                for (const mil::Value* v : op->outputs)
                    if (prepared[slotOf.at(v)].defined()) constants[v->name] = v;
        // Values are released after their last top-level reader; a control-flow step reads whatever its blocks read.
        std::map<size_t, size_t> lastUse;  // slot -> step index
        for (size_t index = 0; index < main.steps.size(); ++index) {
            std::set<size_t> read;
            slotsRead(main.steps[index], read);
            for (size_t s : read)
                if (!prepared[s].defined()) lastUse[s] = index;
        }
        std::set<size_t> kept;
        for (const auto& [name, s] : outputSlots) kept.insert(s);
        for (const auto& [s, step] : lastUse)
            if (!kept.count(s)) main.steps[step].release.push_back(s);
    }

    // Several inputs with enumerated shapes run only at the n-th shapes of all of them together.
    void checkEnumeratedCombination(const std::map<std::string, Tensor>& inputs) const {
        std::vector<const package::FeatureDescription*> enumerated;
        for (const auto& f : contents.description.inputs)
            if (!f.enumeratedShapes.empty() && inputs.count(f.name)) enumerated.push_back(&f);
        if (enumerated.size() < 2) return;
        const size_t count = enumerated.front()->enumeratedShapes.size();
        for (size_t k = 0; k < count; ++k) {
            bool all = true;
            for (const auto* f : enumerated)
                all = all && k < f->enumeratedShapes.size() && inputs.at(f->name).shape() == f->enumeratedShapes[k];
            if (all) return;
        }
        std::string given, allowed;
        for (const auto* f : enumerated) given += (given.empty() ? "" : ", ") + f->name + " " + shapeToString(inputs.at(f->name).shape());
        for (size_t k = 0; k < count; ++k) {
            allowed += k ? "; " : "";
            for (size_t j = 0; j < enumerated.size(); ++j)
                allowed += (j ? ", " : "") + enumerated[j]->name + " " +
                           (k < enumerated[j]->enumeratedShapes.size() ? shapeToString(enumerated[j]->enumeratedShapes[k]) : "?");
        }
        throw Error(ErrorKind::Input,
                    "inputs " + given + " are not one of the model's enumerated shape combinations; it allows " + allowed,
                    {}, "give the enumerated inputs the n-th shapes of each together");
    }

    at::Tensor checkedInput(const std::string& name, const mil::TensorType& type, const Tensor& t) const {
        const package::FeatureDescription* feature = nullptr;
        for (const auto& f : contents.description.inputs)
            if (f.name == name) feature = &f;
        const bool isImage = feature && feature->kind == package::FeatureDescription::Kind::Image;
        // A flexible input runs at any shape its description allows, and only at those.
        if (feature && feature->isFlexible() && !feature->allows(t.shape()))
            throw Error(ErrorKind::Input,
                        "input " + name + " has shape " + shapeToString(t.shape()) + ", which the model does not allow; " +
                            "it allows " + feature->allowedShapesText(),
                        {}, "give the input one of the allowed shapes (" + feature->allowedShapesText() + ")");
        const std::string expected = type.toString() + (isImage ? " (image: pixel values 0-255 as fp32 [1, C, H, W])" : "");
        if (t.dtype() != type.dtype)
            throw Error(ErrorKind::Input, "input " + name + " is " + dtypeName(t.dtype()) + ", the model expects " + expected,
                        {}, "convert the input data to " + dtypeName(type.dtype));
        bool matches = static_cast<int64_t>(type.shape.size()) == t.rank();
        for (size_t d = 0; matches && d < type.shape.size(); ++d)
            matches = type.shape[d] == mil::kUnknownDim || type.shape[d] == t.shape()[d];
        if (!matches)
            throw Error(ErrorKind::Input, "input " + name + " has shape " + shapeToString(t.shape()) + ", the model expects " + expected,
                        {}, "give the input the shape the model was converted for");
        return toRuntime(t);
    }
};

Interpreter::Interpreter(package::PackageContents contents) : impl_(std::make_unique<Impl>(std::move(contents))) {
    if (!impl_->contents.program.functions.count("main"))
        throw Error(ErrorKind::Package, "the program has no main function", {impl_->contents.modelPath, ""},
                    "the package is not an ML Program this tool can run");
    c10::InferenceMode guard;
    try {
        impl_->prepare();
    } catch (const Error& e) {
        throw e.withFile(impl_->contents.modelPath);
    }
}

Interpreter Interpreter::fromPackage(const std::string& path) { return Interpreter(package::readPackage(path)); }

struct RunTrace::Data {
    std::vector<at::Tensor> values;  // by slot
};

RunTrace::RunTrace() : data_(std::make_unique<Data>()) {}
RunTrace::~RunTrace() = default;
RunTrace::RunTrace(RunTrace&&) noexcept = default;
RunTrace& RunTrace::operator=(RunTrace&&) noexcept = default;
bool RunTrace::empty() const { return !data_ || data_->values.empty(); }

Interpreter::~Interpreter() = default;
Interpreter::Interpreter(Interpreter&&) noexcept = default;
Interpreter& Interpreter::operator=(Interpreter&&) noexcept = default;

struct State::Data {
    const void* owner = nullptr;  // the interpreter whose program the states belong to
    std::map<std::string, at::Tensor> values;  // fp32 holding fp16 values, by state input name
};

State::State() : data_(std::make_unique<Data>()) {}
State::~State() = default;
State::State(State&&) noexcept = default;
State& State::operator=(State&&) noexcept = default;

std::vector<std::string> State::names() const {
    std::vector<std::string> out;
    for (const auto& [name, t] : data_->values) out.push_back(name);
    return out;
}

Tensor State::value(const std::string& name) const {
    const auto it = data_->values.find(name);
    if (it == data_->values.end())
        throw Error(ErrorKind::Input, "the model has no state named " + name, {}, "name one of the model's states");
    return fromRuntime(it->second, DType::Float16);
}

State Interpreter::makeState() const {
    State state;
    state.data_->owner = impl_.get();
    for (const mil::Value* v : impl_->contents.program.main().inputs)
        if (v->type.state)
            state.data_->values[v->name] =
                at::zeros(std::vector<int64_t>(v->type.shape.begin(), v->type.shape.end()), at::kFloat);
    return state;
}

std::map<std::string, Tensor> Interpreter::run(const std::map<std::string, Tensor>& inputs, const RunOptions& options) const {
    State fresh = makeState();
    return run(inputs, fresh, options);
}

std::map<std::string, Tensor> Interpreter::run(const std::map<std::string, Tensor>& inputs, State& state,
                                               const RunOptions& options) const {
    const Impl& im = *impl_;
    if (state.data_->owner != impl_.get())
        throw Error(ErrorKind::Input, "the state object was not made by this interpreter", {},
                    "make it with makeState() of the interpreter that runs the model");
    c10::InferenceMode guard;
    if (options.reuse && (options.reuse->empty() || options.reuse->data_->values.size() != im.prepared.size()))
        throw Error(ErrorKind::Input, "the run to reuse was not recorded by this interpreter", {},
                    "record it with RunOptions::record on the same interpreter first");
    std::vector<at::Tensor> values = options.reuse ? options.reuse->data_->values : im.prepared;
    const mil::Function& main = im.contents.program.main();
    im.checkEnumeratedCombination(inputs);
    for (size_t i = 0; i < main.inputs.size(); ++i) {
        const mil::Value* v = main.inputs[i];
        if (v->type.state) {  // bound to the state object's tensor: writes land there
            values[im.inputSlots[i].second] = state.data_->values.at(v->name);
            continue;
        }
        const auto given = inputs.find(v->name);
        if (given == inputs.end())
            throw Error(ErrorKind::Input, "input " + v->name + " (" + v->type.toString() + ") is missing", {},
                        "give a value for every model input");
        values[im.inputSlots[i].second] = im.checkedInput(v->name, v->type, given->second);
    }
    for (const auto& [name, t] : inputs) {
        bool known = false;
        for (const mil::Value* v : main.inputs) known = known || (v->name == name && !v->type.state);
        if (!known) {
            std::string names;
            for (const mil::Value* v : main.inputs) names += (names.empty() ? "" : ", ") + v->name;
            throw Error(ErrorKind::Input, "the model has no input named " + name, {}, "the model's inputs are: " + names);
        }
    }
    std::vector<char> changed(options.reuse ? values.size() : 0, 0);
    for (const auto& [name, t] : options.constants) {
        const auto it = im.constants.find(name);
        if (it == im.constants.end())
            throw Error(ErrorKind::Input, "the program has no constant named " + name, {},
                        "replace only top-level constants of the main function");
        const size_t slot = im.slotOf.at(it->second);
        const at::Tensor& current = im.prepared[slot];
        if (!std::equal(current.sizes().begin(), current.sizes().end(), t.shape().begin(), t.shape().end()))
            throw Error(ErrorKind::Input, "constant " + name + " has shape " +
                            shapeToString(Shape(current.sizes().begin(), current.sizes().end())) + ", not " +
                            shapeToString(t.shape()),
                        {}, "give the replacement the constant's shape");
        values[slot] = conformTo(toRuntime(t), it->second->type.dtype);
        if (!changed.empty()) changed[slot] = 1;
    }
    std::vector<Tensor> observed;
    im.runPlan(im.main, values, &options.observer, &observed, options.reuse ? &changed : nullptr, !options.record);
    if (options.record) options.record->data_->values = values;
    std::map<std::string, Tensor> result;
    for (size_t i = 0; i < im.outputSlots.size(); ++i) {
        const auto& [name, slot] = im.outputSlots[i];
        result[name] = fromRuntime(values[slot], main.body.outputs[i]->type.dtype);
    }
    return result;
}

Tensor Interpreter::constant(const std::string& name) const {
    const auto it = impl_->constants.find(name);
    if (it == impl_->constants.end())
        throw Error(ErrorKind::Input, "the program has no constant named " + name, {},
                    "name a top-level constant of the main function");
    return fromRuntime(impl_->prepared[impl_->slotOf.at(it->second)], it->second->type.dtype);
}

const package::ModelDescription& Interpreter::description() const { return impl_->contents.description; }
const mil::Program& Interpreter::program() const { return impl_->contents.program; }
int Interpreter::specificationVersion() const { return impl_->contents.specificationVersion; }

std::vector<std::pair<std::string, mil::TensorType>> Interpreter::inputTypes() const {
    std::vector<std::pair<std::string, mil::TensorType>> out;
    for (const mil::Value* v : impl_->contents.program.main().inputs)
        if (!v->type.state) out.emplace_back(v->name, v->type);
    return out;
}

std::vector<std::pair<std::string, mil::TensorType>> Interpreter::stateTypes() const {
    std::vector<std::pair<std::string, mil::TensorType>> out;
    for (const mil::Value* v : impl_->contents.program.main().inputs)
        if (v->type.state) out.emplace_back(v->name, v->type);
    return out;
}

std::vector<std::pair<std::string, mil::TensorType>> Interpreter::outputTypes() const {
    std::vector<std::pair<std::string, mil::TensorType>> out;
    for (const mil::Value* v : impl_->contents.program.main().body.outputs) out.emplace_back(v->name, v->type);
    return out;
}

std::vector<std::string> Interpreter::supportedOps() {
    std::vector<std::string> names = {"const", "cond", "while_loop"};
    for (const auto& [name, kernel] : kernelTable()) names.push_back(name);
    return names;
}

}  // namespace cms::runtime
