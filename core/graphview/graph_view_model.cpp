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

// "1x64x56x56"; a dimension known only at run time reads "?". Scalars have no label.
std::string programEdgeLabel(const mil::TensorType& t) {
    std::string out;
    for (size_t i = 0; i < t.shape.size(); ++i)
        out += (i ? "x" : "") + (t.shape[i] == mil::kUnknownDim ? std::string("?") : std::to_string(t.shape[i]));
    return out;
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

const ir::Provenance* DisplayNode::provenance() const {
    if (source) return &source->prov;
    if (op) return &op->prov;
    return nullptr;
}

GraphViewModel::GraphViewModel(const ir::Graph& graph, bool moduleOutline)
    : graph_(&graph), moduleOutline_(moduleOutline) {
    buildFromGraph();
    finishTotals();
    // An outline is drawn for the collapsed first paint; its groups have nothing to show inside yet.
    expanded_.assign(groups_.size(), !moduleOutline_ && nodes_.size() <= kCollapseThreshold);
    expanded_[kRootGroup] = true;
}

GraphViewModel::GraphViewModel(const mil::Program& program) : program_(&program) {
    buildFromProgram();
    finishTotals();
    expanded_.assign(groups_.size(), nodes_.size() <= kCollapseThreshold);
    expanded_[kRootGroup] = true;
}

int GraphViewModel::findGroup(const std::string& path) const {
    for (const Group& g : groups_)
        if (g.path == path) return g.id;
    return -1;
}

std::vector<std::pair<int, std::string>> GraphViewModel::placeInGroups(
    const std::vector<const ir::Provenance*>& provs, const std::vector<std::vector<int>>& producers) {
    // What one source node became: several MIL ops lowered from one node count as one, so a module
    // gets the same group in the ML Program view as in the source graph.
    const auto sourceKey = [&](size_t i) {
        const ir::Provenance& p = *provs[i];
        if (p.sourceNode >= 0) return std::to_string(p.sourceNode);
        if (graph_) return "#" + std::to_string(i);  // every source node is its own
        return p.modulePath + "|" + p.sourceOp + "|" + std::to_string(p.line);
    };
    // A module path becomes a group when it holds at least two source ops and has structure: nested
    // modules, or ops feeding each other. A module called twice (one ReLU reused) or holding a
    // single op is drawn as ops of the enclosing group, named by its path.
    std::map<std::string, std::set<std::string>> sources;
    std::set<std::string> hasChildren;
    for (size_t i = 0; i < provs.size(); ++i) {
        const auto prefixes = pathPrefixes(provs[i]->modulePath);
        const std::string key = sourceKey(i);
        for (size_t k = 0; k < prefixes.size(); ++k) {
            sources[prefixes[k]].insert(key);
            if (k + 1 < prefixes.size()) hasChildren.insert(prefixes[k]);
        }
    }
    std::set<std::string> internallyConnected;
    for (size_t i = 0; i < provs.size(); ++i) {
        const std::string& path = provs[i]->modulePath;
        if (path.empty()) continue;
        for (int from : producers[i])
            if (provs[size_t(from)]->modulePath == path && sourceKey(size_t(from)) != sourceKey(i))
                internallyConnected.insert(path);
    }
    // A module outline's call stands for a whole module: its path and the paths around it are groups even
    // with a single box in them, as they will be in the full graph.
    std::set<std::string> wholeModules;
    if (moduleOutline_)
        for (const ir::Provenance* p : provs)
            if (p->sourceOp == "prim::CallMethod")
                for (const std::string& prefix : pathPrefixes(p->modulePath)) wholeModules.insert(prefix);
    const auto isGroupPath = [&](const std::string& p) {
        if (wholeModules.count(p)) return true;
        return sources[p].size() >= 2 && (hasChildren.count(p) || internallyConnected.count(p));
    };

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
    std::vector<std::pair<int, std::string>> out;
    for (const ir::Provenance* prov : provs) {
        int group = kRootGroup;
        std::string groupPath;
        for (const std::string& prefix : pathPrefixes(prov->modulePath)) {
            if (!isGroupPath(prefix)) continue;
            group = ensureGroup(prefix, group);
            groupPath = prefix;
            if (groups_[group].moduleType.empty() && prefix == prov->modulePath)
                groups_[group].moduleType = prov->moduleType;
        }
        out.emplace_back(group, groupPath);
    }
    return out;
}

void GraphViewModel::buildFromGraph() {
    const ir::Graph& graph = *graph_;
    const ir::Block& top = graph.top();
    std::vector<const ir::Node*> shown;
    for (const ir::Node* n : top.nodes)
        if (!isPacking(n)) shown.push_back(n);

    std::unordered_map<const ir::Node*, int> indexOf;
    for (size_t i = 0; i < shown.size(); ++i) indexOf[shown[i]] = int(i);
    std::vector<const ir::Provenance*> provs;
    std::vector<std::vector<int>> producers(shown.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        provs.push_back(&shown[i]->prov);
        for (const ir::Value* v : shown[i]->inputs)
            if (v->producer && indexOf.count(v->producer)) producers[i].push_back(indexOf[v->producer]);
    }
    groups_.push_back(Group{});  // the root
    const auto placed = placeInGroups(provs, producers);

    std::unordered_map<const ir::Node*, int> displayOf;
    std::unordered_map<const ir::Value*, int> inputNodeOf;
    for (size_t i = 0; i < top.inputs.size(); ++i) {
        DisplayNode d;
        d.id = int(nodes_.size());
        d.name = i < graph.inputNames.size() ? graph.inputNames[i] : top.inputs[i]->name;
        d.label = d.name;
        d.kind = "input";
        d.family = OpFamily::Input;
        d.interfaceValue = top.inputs[i];
        inputNodeOf[top.inputs[i]] = d.id;
        groups_[kRootGroup].nodes.push_back(d.id);
        nodes_.push_back(d);
    }
    for (size_t i = 0; i < shown.size(); ++i) {
        const ir::Node* n = shown[i];
        const auto& [group, groupPath] = placed[i];
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
        d.name = i < graph.outputNames.size() ? graph.outputNames[i] : top.outputs[i]->name;
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
        if (isPacking(v->producer)) {
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
}

void GraphViewModel::buildFromProgram() {
    const auto fn = program_->functions.find("main");
    if (fn == program_->functions.end()) {
        groups_.push_back(Group{});
        return;
    }
    const mil::Function& main = fn->second;
    std::vector<const mil::Operation*> shown;
    for (const auto& op : main.body.ops)
        if (op->type != "const") shown.push_back(op.get());

    std::unordered_map<const mil::Operation*, int> indexOf;
    for (size_t i = 0; i < shown.size(); ++i) indexOf[shown[i]] = int(i);
    std::vector<const ir::Provenance*> provs;
    std::vector<std::vector<int>> producers(shown.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        provs.push_back(&shown[i]->prov);
        for (const mil::OpInput& in : shown[i]->inputs)
            for (const mil::Value* v : in.values)
                if (v && v->producer && indexOf.count(v->producer)) producers[i].push_back(indexOf[v->producer]);
    }
    groups_.push_back(Group{});
    const auto placed = placeInGroups(provs, producers);

    std::unordered_map<const mil::Value*, int> inputNodeOf;
    for (const mil::Value* v : main.inputs) {
        DisplayNode d;
        d.id = int(nodes_.size());
        d.name = d.label = v->name;
        d.kind = "input";
        d.family = OpFamily::Input;
        d.programValue = v;
        inputNodeOf[v] = d.id;
        groups_[kRootGroup].nodes.push_back(d.id);
        nodes_.push_back(d);
    }
    std::unordered_map<const mil::Operation*, int> displayOf;
    for (size_t i = 0; i < shown.size(); ++i) {
        const mil::Operation* op = shown[i];
        const auto& [group, groupPath] = placed[i];
        DisplayNode d;
        d.id = int(nodes_.size());
        d.kind = op->type;
        d.family = opFamily(op->type);
        d.group = group;
        d.op = op;
        const std::string& path = op->prov.modulePath;
        // Several MIL ops may come from one module: the op type keeps their names apart.
        d.name = path.empty() ? op->type : path + "/" + op->type;
        d.label = path == groupPath ? op->type : path.substr(groupPath.empty() ? 0 : groupPath.size() + 1);
        displayOf[op] = d.id;
        groups_[group].nodes.push_back(d.id);
        nodes_.push_back(d);
    }
    const size_t firstOutput = nodes_.size();
    for (const mil::Value* v : main.body.outputs) {
        DisplayNode d;
        d.id = int(nodes_.size());
        d.name = d.label = v->name;
        d.kind = "output";
        d.family = OpFamily::Output;
        d.programValue = v;
        groups_[kRootGroup].nodes.push_back(d.id);
        nodes_.push_back(d);
    }

    std::set<std::tuple<int, int, const mil::Value*>> seen;
    const auto connect = [&](const mil::Value* v, int to) {
        int from = -1;
        if (const auto it = inputNodeOf.find(v); it != inputNodeOf.end()) from = it->second;
        else if (v->producer && displayOf.count(v->producer)) from = displayOf[v->producer];
        if (from < 0 || !seen.insert({from, to, v}).second) return;  // consts are attributes of the consumer
        DisplayEdge e;
        e.from = from;
        e.to = to;
        e.programValue = v;
        e.label = programEdgeLabel(v->type);
        edges_.push_back(e);
    };
    for (const mil::Operation* op : shown)
        for (const mil::OpInput& in : op->inputs)
            for (const mil::Value* v : in.values)
                if (v) connect(v, displayOf[op]);
    for (size_t i = 0; i < main.body.outputs.size(); ++i) connect(main.body.outputs[i], int(firstOutput + i));
}

void GraphViewModel::finishTotals() {
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
