#include "runtime/interpreter.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

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
    struct Step {
        const mil::Operation* op = nullptr;
        Kernel kernel = nullptr;
        std::vector<size_t> inputs;   // slots, in op input order (lists flattened)
        std::vector<size_t> outputs;  // slots
        std::vector<size_t> release;  // slots whose last reader is this step
        std::vector<std::string> outputNames;
    };

    package::PackageContents contents;
    mil::Target opset = mil::Target::iOS15;
    std::map<const mil::Value*, size_t> slotOf;
    std::vector<at::Tensor> prepared;  // constant slots filled at preparation, others empty
    std::vector<std::pair<std::string, size_t>> inputSlots, outputSlots;
    std::vector<Step> steps;

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
        return out;
    }

    // String consts (pad types, modes) have no runtime tensor; kernels read them from the program.
    static bool isStringConst(const Step& s, size_t flatIndex) {
        size_t i = 0;
        for (const mil::OpInput& in : s.op->inputs)
            for (const mil::Value* v : in.values)
                if (i++ == flatIndex) return v->constValue && v->constValue->dtype() == DType::String;
        return false;
    }

    void prepare() {
        const mil::Function& main = contents.program.main();
        opset = main.opset;
        for (const mil::Value* v : main.inputs) inputSlots.emplace_back(v->name, slot(v));
        const KernelTable& table = kernelTable();
        std::map<size_t, size_t> lastUse;  // slot -> step index
        for (const auto& opPtr : main.body.ops) {
            const mil::Operation& op = *opPtr;
            if (!op.blocks.empty())
                opError(op, "control flow (nested blocks) cannot be run by the interpreter yet",
                        "convert a model without data-dependent control flow (trace it instead of scripting)");
            if (op.type == "const") {
                const mil::Value* out = op.output();
                if (!out || !out->constValue) opError(op, "has no value", kReportHint);
                const size_t s = slot(out);
                if (out->constValue->dtype() != DType::String) prepared[s] = toRuntime(*out->constValue);
                continue;
            }
            const auto kernel = table.find(op.type);
            if (kernel == table.end())
                opError(op, "the interpreter cannot run op type '" + op.type + "'",
                        "the interpreter has no kernel for this op type; verify the model on a Mac, or report "
                        "the op so it can be added");
            Step step;
            step.op = &op;
            step.kernel = kernel->second;
            for (const mil::OpInput& in : op.inputs)
                for (const mil::Value* v : in.values) {
                    if (!slotOf.count(v))
                        opError(op, "reads " + v->name + ", which is not defined before it", kReportHint);
                    step.inputs.push_back(slot(v));
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
            for (size_t s : step.inputs)
                if (!prepared[s].defined()) lastUse[s] = steps.size();
            steps.push_back(std::move(step));
        }
        for (const mil::Value* v : main.body.outputs) {
            if (!slotOf.count(v)) throw Error(ErrorKind::Package, "the main function returns " + v->name + ", which is never computed");
            outputSlots.emplace_back(v->name, slot(v));
        }
        std::set<size_t> kept;
        for (const auto& [name, s] : outputSlots) kept.insert(s);
        for (const auto& [s, step] : lastUse)
            if (!kept.count(s)) steps[step].release.push_back(s);
    }

    at::Tensor checkedInput(const std::string& name, const mil::TensorType& type, const Tensor& t) const {
        const bool isImage = [&] {
            for (const auto& f : contents.description.inputs)
                if (f.name == name) return f.kind == package::FeatureDescription::Kind::Image;
            return false;
        }();
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

Interpreter::~Interpreter() = default;
Interpreter::Interpreter(Interpreter&&) noexcept = default;
Interpreter& Interpreter::operator=(Interpreter&&) noexcept = default;

std::map<std::string, Tensor> Interpreter::run(const std::map<std::string, Tensor>& inputs, const RunOptions& options) const {
    const Impl& im = *impl_;
    c10::InferenceMode guard;
    std::vector<at::Tensor> values = im.prepared;
    const mil::Function& main = im.contents.program.main();
    for (size_t i = 0; i < main.inputs.size(); ++i) {
        const mil::Value* v = main.inputs[i];
        const auto given = inputs.find(v->name);
        if (given == inputs.end())
            throw Error(ErrorKind::Input, "input " + v->name + " (" + v->type.toString() + ") is missing", {},
                        "give a value for every model input");
        values[im.inputSlots[i].second] = im.checkedInput(v->name, v->type, given->second);
    }
    for (const auto& [name, t] : inputs) {
        bool known = false;
        for (const mil::Value* v : main.inputs) known = known || v->name == name;
        if (!known) {
            std::string names;
            for (const mil::Value* v : main.inputs) names += (names.empty() ? "" : ", ") + v->name;
            throw Error(ErrorKind::Input, "the model has no input named " + name, {}, "the model's inputs are: " + names);
        }
    }
    std::vector<Tensor> observed;
    for (size_t index = 0; index < im.steps.size(); ++index) {
        const Impl::Step& s = im.steps[index];
        std::vector<at::Tensor> out = im.execute(s, values);
        for (size_t i = 0; i < out.size(); ++i) values[s.outputs[i]] = std::move(out[i]);
        if (options.observer) {
            observed.clear();
            for (size_t i = 0; i < s.outputs.size(); ++i)
                observed.push_back(fromRuntime(values[s.outputs[i]], s.op->outputs[i]->type.dtype));
            options.observer(OpEvent{index, s.op->type, s.op->name, s.op->prov, s.outputNames, observed});
        }
        for (size_t r : s.release) values[r] = at::Tensor();
    }
    std::map<std::string, Tensor> result;
    for (size_t i = 0; i < im.outputSlots.size(); ++i) {
        const auto& [name, slot] = im.outputSlots[i];
        result[name] = fromRuntime(values[slot], main.body.outputs[i]->type.dtype);
    }
    return result;
}

const package::ModelDescription& Interpreter::description() const { return impl_->contents.description; }
const mil::Program& Interpreter::program() const { return impl_->contents.program; }
int Interpreter::specificationVersion() const { return impl_->contents.specificationVersion; }

std::vector<std::pair<std::string, mil::TensorType>> Interpreter::inputTypes() const {
    std::vector<std::pair<std::string, mil::TensorType>> out;
    for (const mil::Value* v : impl_->contents.program.main().inputs) out.emplace_back(v->name, v->type);
    return out;
}

std::vector<std::pair<std::string, mil::TensorType>> Interpreter::outputTypes() const {
    std::vector<std::pair<std::string, mil::TensorType>> out;
    for (const mil::Value* v : impl_->contents.program.main().body.outputs) out.emplace_back(v->name, v->type);
    return out;
}

std::vector<std::string> Interpreter::supportedOps() {
    std::vector<std::string> names = {"const"};
    for (const auto& [name, kernel] : kernelTable()) names.push_back(name);
    return names;
}

}  // namespace cms::runtime
