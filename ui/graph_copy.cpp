#include "graph_copy.h"

#include <unordered_map>

#include "ir/graph.h"

namespace cms::ui {

namespace {

class GraphCopier {
public:
    explicit GraphCopier(ir::Graph& to) : to_(to) {}

    void block(const ir::Block& from, ir::Block& into) {
        for (ir::Value* v : from.inputs) into.inputs.push_back(value(v));
        for (const ir::Node* n : from.nodes) {
            ir::Node* copy = to_.newNode(n->kind, n->prov);
            copy->id = n->id;
            for (ir::Value* v : n->inputs) copy->inputs.push_back(value(v));
            for (ir::Value* v : n->outputs) {
                ir::Value* out = value(v);
                out->producer = copy;
                copy->outputs.push_back(out);
            }
            for (const ir::Block* sub : n->blocks) {
                ir::Block* b = to_.newBlock();
                block(*sub, *b);
                copy->blocks.push_back(b);
            }
            into.nodes.push_back(copy);
        }
        for (ir::Value* v : from.outputs) into.outputs.push_back(value(v));
    }

private:
    // Values are met before their producers only as node outputs; `producer` is set there.
    ir::Value* value(const ir::Value* v) {
        ir::Value*& copy = values_[v];
        if (!copy) {
            copy = to_.newValue(v->name, v->kind, v->typeName);
            copy->constant = v->constant;  // tensors share their storage
            copy->dtype = v->dtype;
            copy->shape = v->shape;
            copy->shapeKnown = v->shapeKnown;
        }
        return copy;
    }

    ir::Graph& to_;
    std::unordered_map<const ir::Value*, ir::Value*> values_;
};

}  // namespace

std::shared_ptr<ir::Graph> copyGraph(const ir::Graph& graph) {
    auto copy = std::make_shared<ir::Graph>();
    copy->sourcePath = graph.sourcePath;
    copy->framework = graph.framework;
    copy->inputNames = graph.inputNames;
    copy->outputNames = graph.outputNames;
    copy->warnings = graph.warnings;
    GraphCopier(*copy).block(graph.top(), copy->top());
    return copy;
}

}  // namespace cms::ui
