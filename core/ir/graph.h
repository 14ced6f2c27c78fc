#pragma once
// The imported model as a graph of source ops (TorchScript today, Keras later), independent of
// any framework's headers. Nodes keep their source op name, module path and source line.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/tensor.h"
#include "ir/provenance.h"

namespace cms::ir {

struct Node;
struct Block;

enum class ValueKind { Tensor, Int, Float, Bool, String, None, Device, List, Tuple, Other };
const char* valueKindName(ValueKind k);

struct NoneValue {
    bool operator==(const NoneValue&) const { return true; }
};
// A value known at import time: TorchScript constants, module weights, folded shape arithmetic.
using Constant = std::variant<NoneValue, bool, int64_t, double, std::string, std::vector<int64_t>, std::vector<double>,
                              std::vector<bool>, Tensor>;
std::string constantToString(const Constant& c);  // short human-readable form for the inspector

struct Value {
    std::string name;     // debug name from the source graph, unique within the graph
    ValueKind kind = ValueKind::Other;
    std::string typeName;  // the source framework's type, e.g. "Tensor", "int[]", "(Tensor, Tensor)"
    std::optional<Constant> constant;
    // Tensor metadata. dtype/shape of graph inputs come from the settings; the rest are filled by
    // lowering (MIL type inference) so the graph view can label edges.
    DType dtype = DType::Invalid;
    Shape shape;
    bool shapeKnown = false;
    Node* producer = nullptr;  // null for graph/block inputs and constants
};

struct Node {
    size_t id = 0;             // position in import order, stable for a graph
    std::string kind;          // "aten::conv2d", "prim::ListConstruct", "keras::Dense" ...
    std::vector<Value*> inputs;
    std::vector<Value*> outputs;
    std::vector<Block*> blocks;  // sub-blocks of control flow (prim::If, prim::Loop)
    Provenance prov;
};

struct Block {
    std::vector<Value*> inputs;
    std::vector<Node*> nodes;  // topological order
    std::vector<Value*> outputs;
};

class Graph {
public:
    Graph();
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
    Graph(Graph&&) = default;
    Graph& operator=(Graph&&) = default;

    Value* newValue(std::string name, ValueKind kind, std::string typeName = {});
    Value* newConstant(std::string name, Constant c);
    Node* newNode(std::string kind, Provenance prov = {});  // not yet placed in any block
    Block* newBlock();

    Block& top() { return *top_; }
    const Block& top() const { return *top_; }
    // Every node, sub-blocks included, in execution order.
    std::vector<const Node*> allNodes() const;
    size_t nodeCount() const { return nodes_.size(); }

    std::string sourcePath;                 // the file this graph was imported from
    std::string framework;                  // "torchscript" or "keras"
    std::vector<std::string> inputNames;    // user-facing names of the top block inputs
    std::vector<std::string> outputNames;   // user-facing names of the top block outputs
    std::vector<std::string> warnings;      // import notices (e.g. "module was in training mode")
    // Buffers the model writes in place (a KV cache): read at the start of each call, written back at the
    // end. Not among top().inputs; `value` (dtype and shape set) stands for the buffer in the nodes.
    struct StateBuffer {
        std::string name;  // the attribute's path in the module, e.g. "layers.0.k_cache"
        Value* value = nullptr;
    };
    std::vector<StateBuffer> states;

private:
    std::deque<std::unique_ptr<Value>> values_;
    std::deque<std::unique_ptr<Node>> nodes_;
    std::deque<std::unique_ptr<Block>> blocks_;
    Block* top_ = nullptr;
};

// Text dump for debugging and tests: one node per line with its inputs, outputs and provenance.
std::string dumpGraph(const Graph& g);

}  // namespace cms::ir
