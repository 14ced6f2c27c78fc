#include "graphview/graph_view_model.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace cms::graphview {

namespace {

bool isPacking(const ir::Node* n) { return n->kind == "prim::ListConstruct" || n->kind == "prim::TupleConstruct"; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string edgeLabel(const ir::Value* v) {
    if (!v || v->kind != ir::ValueKind::Tensor || !v->shapeKnown) return {};
    return shapeToString(v->shape);
}

// Every proper prefix and the path itself: "a.b" -> {"a", "a.b"}.
std::vector<std::string> pathPrefixes(const std::string& path) {
    std::vector<std::string> out;
    if (path.empty()) return out;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
        out.push_back(path.substr(0, dot));
    out.push_back(path);
    return out;
}

}  // namespace

int VisibleGraph::itemOfNode(int nodeId) const {
    for (size_t i = 0; i < items.size(); ++i)
        if (!items[i].isGroup && items[i].id == nodeId) return int(i);
    return -1;
}

int VisibleGraph::itemOfGroup(int groupId) const {
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].isGroup && items[i].id == groupId) return int(i);
    return -1;
}

GraphViewModel::GraphViewModel(const ir::Graph& graph) : graph_(graph) {
    build();
    expanded_.assign(groups_.size(), nodes_.size() <= kCollapseThreshold);
    expanded_[kRootGroup] = true;
}

bool GraphViewModel::isFolded(const ir::Node* n) const { return isPacking(n); }

int GraphViewModel::findGroup(const std::string& path) const {
    for (const Group& g : groups_)
        if (g.path == path) return g.id;
    return -1;
}

void GraphViewModel::build() {
    const ir::Block& top = graph_.top();
    std::vector<const ir::Node*> shown;
    for (const ir::Node* n : top.nodes)
        if (!isFolded(n)) shown.push_back(n);

    // A module path becomes a group when it holds at least two ops and has structure: nested
    // modules, or ops feeding each other. A module called twice (one ReLU reused) or holding a
    // single op is drawn as ops of the enclosing group, named by its path.
    std::map<std::string, size_t> total;
    std::set<std::string> hasChildren;
    std::map<std::string, std::set<const ir::Node*>> direct;
    for (const ir::Node* n : shown) {
        const auto prefixes = pathPrefixes(n->prov.modulePath);
        for (size_t i = 0; i < prefixes.size(); ++i) {
            ++total[prefixes[i]];
            if (i + 1 < prefixes.size()) hasChildren.insert(prefixes[i]);
        }
        if (!n->prov.modulePath.empty()) direct[n->prov.modulePath].insert(n);
    }
    std::set<std::string> internallyConnected;
    for (const auto& [path, members] : direct) {
        for (const ir::Node* n : members)
            for (const ir::Value* v : n->inputs)
                if (v->producer && members.count(v->producer)) internallyConnected.insert(path);
    }
    const auto isGroupPath = [&](const std::string& p) {
        return total[p] >= 2 && (hasChildren.count(p) || internallyConnected.count(p));
    };

    groups_.push_back(Group{});  // the root
    std::unordered_map<std::string, int> groupOfPath;
    const auto ensureGroup = [&](const std::string& path, int parent) {
        auto it = groupOfPath.find(path);
        if (it != groupOfPath.end()) return it->second;
        Group g;
        g.id = int(groups_.size());
        g.path = path;
        const size_t dot = path.rfind('.');
        g.name = dot == std::string::npos ? path : path.substr(dot + 1);
        g.parent = parent;
        groups_[parent].groups.push_back(g.id);
        groups_.push_back(g);
        groupOfPath[path] = g.id;
        return g.id;
    };

    std::unordered_map<const ir::Node*, int> displayOf;
    std::unordered_map<const ir::Value*, int> inputNodeOf;
    for (size_t i = 0; i < top.inputs.size(); ++i) {
        DisplayNode d;
        d.id = int(nodes_.size());
        d.name = i < graph_.inputNames.size() ? graph_.inputNames[i] : top.inputs[i]->name;
        d.label = d.name;
        d.kind = "input";
        d.family = OpFamily::Input;
        d.interfaceValue = top.inputs[i];
        inputNodeOf[top.inputs[i]] = d.id;
        groups_[kRootGroup].nodes.push_back(d.id);
        nodes_.push_back(d);
    }
    for (const ir::Node* n : shown) {
        int group = kRootGroup;
        std::string groupPath;
        for (const std::string& prefix : pathPrefixes(n->prov.modulePath)) {
            if (!isGroupPath(prefix)) continue;
            group = ensureGroup(prefix, group);
            groupPath = prefix;
            if (groups_[group].moduleType.empty() && prefix == n->prov.modulePath)
                groups_[group].moduleType = n->prov.moduleType;
        }
        DisplayNode d;
        d.id = int(nodes_.size());
        d.kind = n->kind;
        d.family = opFamily(n->kind);
        d.group = group;
        d.source = n;
        const std::string op = shortOpName(n->kind);
        const std::string& path = n->prov.modulePath;
        if (path == groupPath) {
            // The group's own op (e.g. a residual add in BasicBlock.forward).
            d.name = path.empty() ? op : path + "/" + op;
            d.label = op;
        } else {
            d.name = path;
            d.label = groupPath.empty() ? path : path.substr(groupPath.size() + 1);
        }
        displayOf[n] = d.id;
        groups_[group].nodes.push_back(d.id);
        nodes_.push_back(d);
    }
    for (size_t i = 0; i < top.outputs.size(); ++i) {
        DisplayNode d;
        d.id = int(nodes_.size());
        d.name = i < graph_.outputNames.size() ? graph_.outputNames[i] : top.outputs[i]->name;
        d.label = d.name;
        d.kind = "output";
        d.family = OpFamily::Output;
        d.interfaceValue = top.outputs[i];
        groups_[kRootGroup].nodes.push_back(d.id);
        nodes_.push_back(d);
    }

    // Edges: a value produced by a folded list/tuple node is traced back to its elements'
    // producers, and the packing node is remembered on the consumer for the inspector.
    std::set<std::tuple<int, int, const ir::Value*>> seen;
    std::function<void(const ir::Value*, int)> connect = [&](const ir::Value* v, int to) {
        if (const auto it = inputNodeOf.find(v); it != inputNodeOf.end()) {
            if (seen.insert({it->second, to, v}).second) edges_.push_back({it->second, to, v, edgeLabel(v)});
            return;
        }
        if (!v->producer) return;  // a constant: an attribute of the consumer
        if (isFolded(v->producer)) {
            auto& folded = nodes_[to].folded;
            if (std::find(folded.begin(), folded.end(), v->producer) == folded.end()) folded.push_back(v->producer);
            for (const ir::Value* element : v->producer->inputs) connect(element, to);
            return;
        }
        const auto it = displayOf.find(v->producer);
        if (it == displayOf.end()) return;  // produced inside a control-flow block
        if (seen.insert({it->second, to, v}).second) edges_.push_back({it->second, to, v, edgeLabel(v)});
    };
    for (const ir::Node* n : shown)
        for (const ir::Value* v : n->inputs) connect(v, displayOf[n]);
    for (size_t i = 0; i < top.outputs.size(); ++i)
        connect(top.outputs[i], int(nodes_.size() - top.outputs.size() + i));

    // Totals bottom-up: children always have larger ids than their parents.
    for (int g = int(groups_.size()) - 1; g >= 0; --g) {
        groups_[g].totalNodes += groups_[g].nodes.size();
        if (groups_[g].parent >= 0) groups_[groups_[g].parent].totalNodes += groups_[g].totalNodes;
    }
}

void GraphViewModel::setExpanded(int group, bool expanded) {
    if (group == kRootGroup) return;
    expanded_.at(group) = expanded;
}

void GraphViewModel::collapseAll() {
    std::fill(expanded_.begin(), expanded_.end(), false);
    expanded_[kRootGroup] = true;
}

void GraphViewModel::expandAll() { std::fill(expanded_.begin(), expanded_.end(), true); }

void GraphViewModel::reveal(int nodeId) {
    for (int g = nodes_.at(nodeId).group; g > kRootGroup; g = groups_[g].parent) expanded_[g] = true;
}

int GraphViewModel::hidingGroup(int nodeId) const {
    int hiding = -1;
    for (int g = nodes_.at(nodeId).group; g > kRootGroup; g = groups_[g].parent)
        if (!expanded_[g]) hiding = g;
    return hiding;
}

VisibleGraph GraphViewModel::visibleGraph() const {
    VisibleGraph out;
    std::vector<int> itemOfNode(nodes_.size(), -1);
    std::unordered_map<int, int> itemOfGroup;
    std::set<int> clusters;
    const auto addCluster = [&](int g) {
        for (; g > kRootGroup; g = groups_[g].parent) clusters.insert(g);
    };
    for (const DisplayNode& n : nodes_) {
        const int hiding = hidingGroup(n.id);
        if (hiding < 0) {
            itemOfNode[n.id] = int(out.items.size());
            out.items.push_back({false, n.id, n.group});
            addCluster(n.group);
            continue;
        }
        auto [it, inserted] = itemOfGroup.emplace(hiding, int(out.items.size()));
        if (inserted) {
            out.items.push_back({true, hiding, groups_[hiding].parent});
            addCluster(groups_[hiding].parent);
        }
        itemOfNode[n.id] = it->second;
    }
    out.clusters.assign(clusters.begin(), clusters.end());

    std::map<std::pair<int, int>, size_t> edgeIndex;
    for (const DisplayEdge& e : edges_) {
        const int a = itemOfNode[e.from], b = itemOfNode[e.to];
        if (a == b) continue;
        const auto [it, inserted] = edgeIndex.emplace(std::make_pair(a, b), out.edges.size());
        if (inserted) out.edges.push_back({a, b, e.label, 1});
        else ++out.edges[it->second].multiplicity;
    }
    return out;
}

std::vector<int> GraphViewModel::search(const std::string& text) const {
    std::vector<int> out;
    const std::string needle = lower(text);
    if (needle.empty()) return out;
    for (const DisplayNode& n : nodes_) {
        if (lower(n.name).find(needle) != std::string::npos || lower(n.kind).find(needle) != std::string::npos)
            out.push_back(n.id);
    }
    return out;
}

}  // namespace cms::graphview
