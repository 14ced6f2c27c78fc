#include "frontends/torchscript/state_buffers.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>


namespace cms::frontends {

namespace jit = torch::jit;

namespace {

// Ops whose output shares its input's memory: a write into the output is a write into the input.
const std::set<std::string> kViewKinds = {
    "aten::slice",     "aten::select",  "aten::narrow",   "aten::view",      "aten::reshape",  "aten::_unsafe_view",
    "aten::_reshape_alias", "aten::view_as", "aten::reshape_as", "aten::flatten", "aten::unflatten", "aten::squeeze",
    "aten::unsqueeze", "aten::transpose", "aten::permute", "aten::t",        "aten::numpy_T",  "aten::expand",
    "aten::expand_as", "aten::contiguous", "aten::detach", "aten::alias",    "aten::as_strided"};

// "aten::index_put_" and "aten::copy_" write into their first argument; "aten::__and__" does not.
bool writesFirstArgument(const jit::Node* n) {
    const std::string kind = n->kind().toQualString();
    return kind.size() > 2 && kind.back() == '_' && kind[kind.size() - 2] != '_';
}

// The nodes writing into `v` directly or through views of it.
void writersOf(const jit::Value* v, std::vector<const jit::Node*>& out) {
    for (const jit::Use& use : v->uses()) {
        if (use.offset != 0) continue;
        if (writesFirstArgument(use.user)) out.push_back(use.user);
        else if (kViewKinds.count(use.user->kind().toQualString()) && use.user->outputs().size() == 1)
            writersOf(use.user->output(), out);
    }
}

std::optional<DType> dtypeOf(c10::ScalarType t) {
    switch (t) {
        case c10::ScalarType::Float: return DType::Float32;
        case c10::ScalarType::Half: return DType::Float16;
        default: return std::nullopt;
    }
}

std::string identifierOf(const std::string& path) {
    std::string id = path;
    for (char& c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "_" + id;
    return id;
}

}  // namespace

std::vector<MutatedBuffer> liftMutatedBuffers(const std::shared_ptr<jit::Graph>& source, const jit::Module& module) {
    jit::Graph& graph = *source;
    if (graph.inputs().empty() || graph.inputs()[0]->type()->kind() != c10::TypeKind::ClassType) return {};
    // Object of each module value with its path; reads of each tensor attribute, by tensor.
    std::unordered_map<const jit::Value*, std::pair<c10::IValue, std::string>> objects = {
        {graph.inputs()[0], {module._ivalue(), ""}}};
    struct Reads {
        std::string path;
        at::Tensor tensor;
        std::vector<jit::Value*> values;
    };
    std::vector<Reads> reads;
    std::unordered_map<const c10::TensorImpl*, size_t> indexOf;
    std::function<void(jit::Block*)> visit = [&](jit::Block* block) {
        for (jit::Node* n : block->nodes()) {
            for (jit::Block* sub : n->blocks()) visit(sub);
            if (n->kind() != c10::prim::GetAttr) continue;
            const auto owner = objects.find(n->input());
            if (owner == objects.end()) continue;
            const std::string name = n->s(c10::attr::name);
            const std::string path = owner->second.second.empty() ? name : owner->second.second + "." + name;
            const c10::IValue attr = owner->second.first.toObject()->getAttr(name);
            if (attr.isObject()) {
                objects[n->output()] = {attr, path};
                continue;
            }
            if (!attr.isTensor()) continue;
            const auto [it, added] = indexOf.emplace(attr.toTensor().unsafeGetTensorImpl(), reads.size());
            if (added) reads.push_back({path, attr.toTensor(), {}});
            reads[it->second].values.push_back(n->output());
        }
    };
    visit(graph.block());
    // Execution order of every node, so that buffers are listed in the order the model first writes them.
    std::unordered_map<const jit::Node*, size_t> order;
    std::function<void(jit::Block*)> number = [&](jit::Block* block) {
        for (jit::Node* n : block->nodes()) {
            order.emplace(n, order.size());
            for (jit::Block* sub : n->blocks()) number(sub);
        }
    };
    number(graph.block());
    std::vector<std::pair<size_t, Reads*>> written;
    for (Reads& r : reads) {
        std::vector<const jit::Node*> writers;
        for (const jit::Value* v : r.values) writersOf(v, writers);
        size_t first = SIZE_MAX;
        for (const jit::Node* w : writers) first = std::min(first, order.count(w) ? order.at(w) : SIZE_MAX);
        if (!writers.empty()) written.emplace_back(first, &r);
    }
    std::stable_sort(written.begin(), written.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<MutatedBuffer> lifted;
    for (const auto& [position, readsOf] : written) {
        Reads& r = *readsOf;
        // Core ML states hold fp16 tensors. Other buffers keep folding into constants, as before states existed:
        // the counter a batch norm traced in training mode increments (num_batches_tracked) is one.
        const std::optional<DType> dtype = dtypeOf(r.tensor.scalar_type());
        if (!dtype || (*dtype != DType::Float32 && *dtype != DType::Float16)) continue;
        jit::Value* input = graph.addInput(identifierOf(r.path));
        input->setType(c10::TensorType::create(r.tensor));
        for (jit::Value* v : r.values) v->replaceAllUsesWith(input);
        lifted.push_back({r.path, *dtype, Shape(r.tensor.sizes().begin(), r.tensor.sizes().end())});
    }
    return lifted;
}

void moveLiftedBuffersToStates(ir::Graph& graph, const std::vector<MutatedBuffer>& lifted) {
    auto& inputs = graph.top().inputs;
    if (lifted.empty() || inputs.size() < lifted.size()) return;
    const size_t first = inputs.size() - lifted.size();
    for (size_t i = 0; i < lifted.size(); ++i) {
        ir::Value* v = inputs[first + i];
        v->kind = ir::ValueKind::Tensor;
        v->dtype = lifted[i].dtype;
        v->shape = lifted[i].shape;
        v->shapeKnown = true;
        graph.states.push_back({lifted[i].path, v});
    }
    inputs.resize(first);
    if (graph.inputNames.size() >= lifted.size()) graph.inputNames.resize(graph.inputNames.size() - lifted.size());
}

}  // namespace cms::frontends
