#pragma once
// What the graph view draws, built from an ir::Graph or from a converted ML Program: display nodes
// grouped by module path (groups nest like `layer1` > `layer1.0`; MIL ops by the provenance lowering
// stamped on them), with constants and list/tuple packing folded into their consumers, edges labelled
// with tensor shapes where known, and a collapse state per group. visibleGraph() is what a layout
// engine should place.
#include <cstddef>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "graphview/op_family.h"
#include "ir/graph.h"
#include "mil/program.h"

namespace cms::graphview {

constexpr int kRootGroup = 0;

struct DisplayNode {
    int id = 0;
    std::string name;   // searchable identity: "layer4.1.conv2", or "layer1.0/add" for a group's own ops
    std::string label;  // short box text: "conv2" or "add"
    std::string kind;   // source op kind or MIL op type; "input"/"output" for graph interface nodes
    OpFamily family = OpFamily::Other;
    int group = kRootGroup;            // innermost enclosing group
    const ir::Node* source = nullptr;  // null for interface nodes
    const ir::Value* interfaceValue = nullptr;  // the graph input/output an interface node stands for
    std::vector<const ir::Node*> folded;        // list/tuple nodes merged into this one
    const mil::Operation* op = nullptr;          // ML Program view: the MIL op (null for interface nodes)
    const mil::Value* programValue = nullptr;    // ML Program view: the function input/output shown
    // Where the op came from (the source node's or the MIL op's provenance); null for interface nodes.
    const ir::Provenance* provenance() const;
};

struct DisplayEdge {
    int from = 0;
    int to = 0;
    const ir::Value* value = nullptr;  // the tensor (or other value) flowing along it
    std::string label;                 // "1x64x56x56" when the shape is known, else empty
    const mil::Value* programValue = nullptr;  // ML Program view: the value flowing along it
};

struct Group {
    int id = 0;
    std::string path;        // full module path; empty for the root
    std::string name;        // last path component
    std::string moduleType;  // e.g. "BasicBlock", where the importer knows it
    int parent = -1;
    std::vector<int> groups;  // child groups in first-use order
    std::vector<int> nodes;   // display nodes directly inside
    size_t totalNodes = 0;    // display nodes inside, nested groups included
};

// The graph as currently shown: a collapsed group is one box and edges end at that box.
struct VisibleGraph {
    struct Item {
        bool isGroup = false;
        int id = 0;         // display node id or group id
        int cluster = 0;    // the expanded group drawn around it (kRootGroup: none)
    };
    struct Edge {
        int from = 0;  // indices into items
        int to = 0;
        std::string label;
        int multiplicity = 1;  // display edges merged into this one
    };
    std::vector<Item> items;
    std::vector<Edge> edges;
    std::vector<int> clusters;  // expanded non-root groups with visible content, parents before children
    int itemOfNode(int nodeId) const;    // -1 when the node is hidden in a collapsed group
    int itemOfGroup(int groupId) const;  // -1 unless the group is a visible collapsed box
};

class GraphViewModel {
public:
    // Models with more display nodes than this, and module outlines, open with every group collapsed.
    static constexpr size_t kCollapseThreshold = 60;

    // `moduleOutline`: the graph is a TorchScript module outline (TorchScriptImportOptions::outline), each
    // submodule call one box standing for that module: its path is drawn as a collapsed group.
    explicit GraphViewModel(const ir::Graph& graph, bool moduleOutline = false);
    // The program's main function: `const` ops are folded into their consumers (the inspector shows
    // them), ops grouped by their provenance's module path.
    explicit GraphViewModel(const mil::Program& program);

    bool isProgram() const { return program_ != nullptr; }
    // A module outline's group boxes do not know their ops yet.
    bool isModuleOutline() const { return moduleOutline_; }
    const mil::Program* program() const { return program_; }

    const std::vector<DisplayNode>& nodes() const { return nodes_; }
    const std::vector<DisplayEdge>& edges() const { return edges_; }
    const std::vector<Group>& groups() const { return groups_; }
    const Group& group(int id) const { return groups_.at(id); }
    int findGroup(const std::string& path) const;  // -1 when absent
    const ir::Graph* graph() const { return graph_; }  // null in the ML Program view

    bool expanded(int group) const { return expanded_.at(group); }
    void setExpanded(int group, bool expanded);
    void collapseAll();
    void expandAll();
    // Expands every group around the node so it becomes visible.
    void reveal(int nodeId);
    // The outermost collapsed group hiding the node, or -1 when it is visible.
    int hidingGroup(int nodeId) const;

    VisibleGraph visibleGraph() const;

    // Display nodes whose name, label or op kind contains the text (case-insensitive), in graph order.
    std::vector<int> search(const std::string& text) const;

private:
    void buildFromGraph();
    void buildFromProgram();
    // Creates the groups for ops with these provenances and returns each op's group and path.
    std::vector<std::pair<int, std::string>> placeInGroups(const std::vector<const ir::Provenance*>& provs,
                                                           const std::vector<std::vector<int>>& producers);
    void finishTotals();

    const ir::Graph* graph_ = nullptr;
    const mil::Program* program_ = nullptr;
    bool moduleOutline_ = false;
    std::vector<DisplayNode> nodes_;
    std::vector<DisplayEdge> edges_;
    std::vector<Group> groups_;
    std::vector<bool> expanded_;
};

}  // namespace cms::graphview
