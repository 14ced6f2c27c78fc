#include "runtime/torch/torchscript_runner.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/ir/scope.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/version.h>

#include <unordered_map>

#include "common/error.h"
#include "frontends/torchscript/torchvision_ops.h"
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace jit = torch::jit;

namespace {

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string libtorchMessage(const std::exception& e) {
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&e)) return firstLine(c10Error->what_without_backtrace());
    return firstLine(e.what());
}

// Module path from the inlined call stack, by the importer's rule: instance names from the
// outermost call in, skipping "SELF" (a module calling its own methods).
ir::Provenance provenanceOf(const jit::Node* node) {
    ir::Provenance prov;
    prov.sourceOp = node->kind().toQualString();
    if (const auto stack = node->callstack()) {
        for (const auto& entry : (*stack)->vec()) {
            const auto& module = std::get<2>(entry);
            if (!module) continue;
            const std::string name = module->instance_name();
            if (name != "SELF") prov.modulePath += (prov.modulePath.empty() ? "" : ".") + name;
            if (const auto type = module->class_type(); type && type->name()) prov.moduleType = type->name()->name();
        }
    }
    return prov;
}

void flatten(const c10::IValue& v, std::vector<at::Tensor>& out) {
    if (v.isTensor()) out.push_back(v.toTensor());
    else if (v.isTuple())
        for (const auto& e : v.toTupleRef().elements()) flatten(e, out);
    else if (v.isList())
        for (const auto& e : v.toListRef()) flatten(e, out);
    else if (v.isTensorList())
        for (const auto& t : v.toTensorVector()) out.push_back(t);
}

DType dtypeOf(const at::Tensor& t) {
    switch (t.scalar_type()) {
        case at::kBool: return DType::Bool;
        case at::kLong: return DType::Int64;
        case at::kInt: case at::kShort: case at::kChar: case at::kByte: return DType::Int32;
        default: return DType::Float32;  // fp16/bf16/fp64 are compared as fp32
    }
}

Tensor toCms(const at::Tensor& t) { return fromRuntime(t.is_floating_point() ? t.to(at::kFloat) : t, dtypeOf(t)); }

// Inputs as PyTorch models expect them: floats as fp32, integers as int64.
at::Tensor toTorch(const Tensor& t) {
    at::Tensor r = toRuntime(t);
    if (r.scalar_type() == at::kInt) r = r.to(at::kLong);
    return r;
}

}  // namespace

struct TorchScriptRunner::Impl {
    std::string path;
    jit::Module module;
    std::shared_ptr<jit::Graph> forward;  // frozen, inlined
    std::unique_ptr<jit::GraphFunction> capture;
    std::vector<std::pair<size_t, size_t>> captureIndex;  // (node, output) per captured value
    std::vector<ir::Provenance> captureProvenance;
    std::vector<std::vector<size_t>> captureInputs;
    size_t plainOutputs = 0;

    // A copy of forward() that also returns a clone of every top-level node's tensor outputs
    // (clones, because in-place ops such as relu_ would change them later).
    void buildCapture() {
        auto graph = forward->copy();
        std::vector<jit::Node*> nodes(graph->nodes().begin(), graph->nodes().end());
        std::vector<jit::Value*> values;
        std::unordered_map<const jit::Node*, size_t> indexOf;
        for (size_t i = 0; i < nodes.size(); ++i) indexOf[nodes[i]] = i;
        for (size_t i = 0; i < nodes.size(); ++i) {
            jit::Node* n = nodes[i];
            if (n->kind().is_prim()) continue;
            std::vector<size_t> producers;
            for (const jit::Value* in : n->inputs()) {
                const auto it = indexOf.find(in->node());
                if (it != indexOf.end() && in->node()->kind() != c10::prim::Constant) producers.push_back(it->second);
            }
            for (size_t o = 0; o < n->outputs().size(); ++o) {
                jit::Value* out = n->outputs()[o];
                if (!out->type()->isSubtypeOf(*c10::TensorType::get())) continue;
                // Unused outputs are skipped: nothing compares with them, and some are undefined
                // tensors that clone would reject (fused attention's weights when not asked for).
                if (out->uses().empty()) continue;
                jit::WithInsertPoint guard(n->next());
                jit::Value* copy = graph->insert(at::aten::clone, {out});
                values.push_back(copy);
                captureIndex.emplace_back(i, o);
                captureProvenance.push_back(provenanceOf(n));
                captureInputs.push_back(producers);
            }
        }
        plainOutputs = graph->outputs().size();
        std::vector<jit::Value*> all(graph->outputs().begin(), graph->outputs().end());
        all.insert(all.end(), values.begin(), values.end());
        jit::Node* tuple = graph->createTuple(all);
        graph->appendNode(tuple);
        while (!graph->outputs().empty()) graph->eraseOutput(0);
        graph->registerOutput(tuple->output());
        capture = std::make_unique<jit::GraphFunction>("forward_with_capture", graph, nullptr);
    }
};

TorchScriptRunner::TorchScriptRunner(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    try {
        impl_->module = frontends::loadWithTorchvisionOps(path);
        impl_->module.eval();
        // The full freeze, not the importer's (parameters preserved, then folded): with parameters preserved,
        // freeze_module_inplace frees functions that the inlined graph's call stacks still point to, and
        // running that graph read freed memory (valgrind; an occasional crash in lower.test_symbolic_sweep).
        jit::freeze_module_inplace(&impl_->module);
        impl_->forward = impl_->module.get_method("forward").graph();
        jit::Inline(*impl_->forward);
        impl_->buildCapture();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Input, "libtorch " TORCH_VERSION " could not prepare the model: " + libtorchMessage(e),
                    {path, ""}, "give the TorchScript file the package was converted from");
    }
}

TorchScriptRunner::~TorchScriptRunner() = default;
TorchScriptRunner::TorchScriptRunner(TorchScriptRunner&&) noexcept = default;
TorchScriptRunner& TorchScriptRunner::operator=(TorchScriptRunner&&) noexcept = default;

std::vector<std::string> TorchScriptRunner::inputNames() const {
    std::vector<std::string> names;
    const auto& inputs = impl_->forward->inputs();
    for (size_t i = 1; i < inputs.size(); ++i) names.push_back(inputs[i]->debugName());
    return names;
}

std::vector<Tensor> TorchScriptRunner::run(const std::vector<Tensor>& inputs, std::vector<CapturedValue>* captured) const {
    const size_t expected = impl_->forward->inputs().size() - 1;
    if (inputs.size() != expected)
        throw Error(ErrorKind::Input,
                    "the model takes " + std::to_string(expected) + " input(s), " + std::to_string(inputs.size()) +
                        " were given",
                    {impl_->path, ""}, "give one value per forward() argument");
    at::NoGradGuard noGrad;
    std::vector<c10::IValue> stack = {impl_->module._ivalue()};
    for (const Tensor& t : inputs) stack.emplace_back(toTorch(t));
    std::vector<at::Tensor> outputs;
    try {
        if (!captured) {
            flatten(impl_->module.forward(std::vector<c10::IValue>(stack.begin() + 1, stack.end())), outputs);
        } else {
            const c10::IValue result = (*impl_->capture)(stack);
            const auto& elements = result.toTupleRef().elements();
            for (size_t i = 0; i < impl_->plainOutputs; ++i) flatten(elements[i], outputs);
            captured->clear();
            for (size_t i = 0; i < impl_->captureIndex.size(); ++i) {
                const c10::IValue& v = elements[impl_->plainOutputs + i];
                if (!v.isTensor()) continue;
                captured->push_back({impl_->captureIndex[i].first, impl_->captureIndex[i].second, impl_->captureInputs[i],
                                     impl_->captureProvenance[i], toCms(v.toTensor().contiguous())});
            }
        }
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Input, "running the model with libtorch failed: " + libtorchMessage(e), {impl_->path, ""},
                    "check that the inputs have the shapes and types the model expects");
    }
    std::vector<Tensor> result;
    for (const at::Tensor& t : outputs) result.push_back(toCms(t.contiguous()));
    return result;
}

}  // namespace cms::runtime
