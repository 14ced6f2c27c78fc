#include "frontends/torchscript/parameter_constants.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <functional>
#include <unordered_map>

namespace cms::frontends {

namespace jit = torch::jit;

void foldParameters(const std::shared_ptr<jit::Graph>& source, const jit::Module& module) {
    jit::Graph& graph = *source;
    if (graph.inputs().empty() || graph.inputs()[0]->type()->kind() != c10::TypeKind::ClassType) return;
    if (graph.block()->nodes().begin() == graph.block()->nodes().end()) return;
    std::unordered_map<const jit::Value*, c10::IValue> objects = {{graph.inputs()[0], module._ivalue()}};
    std::unordered_map<const c10::TensorImpl*, jit::Value*> constants;
    jit::Node* const first = graph.block()->nodes().front();
    // Depth first, in order: control-flow branches read parameters too. Constants go to the top of
    // the graph, where every block sees them.
    std::function<void(jit::Block*)> visit = [&](jit::Block* block) {
        for (jit::Node* n : block->nodes()) {
            for (jit::Block* sub : n->blocks()) visit(sub);
            if (n->kind() != c10::prim::GetAttr) continue;
            const auto owner = objects.find(n->input());
            if (owner == objects.end()) continue;
            const c10::IValue attr = owner->second.toObject()->getAttr(n->s(c10::attr::name));
            if (attr.isObject()) {
                objects[n->output()] = attr;
                continue;
            }
            if (!attr.isTensor()) continue;
            jit::Value*& constant = constants[attr.toTensor().unsafeGetTensorImpl()];
            if (!constant) {
                jit::WithInsertPoint at(first);
                constant = graph.insertConstant(attr.toTensor().detach());  // constants cannot require grad
                constant->setDebugName(n->output()->debugName());
            }
            n->output()->replaceAllUsesWith(constant);
        }
    };
    visit(graph.block());
    jit::EliminateDeadCode(graph.block());
    std::shared_ptr<jit::Graph> shared = source;  // the pass takes a mutable handle
    jit::ConstantPropagation(shared);
}

}  // namespace cms::frontends
