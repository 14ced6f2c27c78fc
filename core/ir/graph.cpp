#include "ir/graph.h"

#include <sstream>

namespace cms::ir {

const char* valueKindName(ValueKind k) {
    switch (k) {
        case ValueKind::Tensor: return "Tensor";
        case ValueKind::Int: return "int";
        case ValueKind::Float: return "float";
        case ValueKind::Bool: return "bool";
        case ValueKind::String: return "str";
        case ValueKind::None: return "None";
        case ValueKind::Device: return "Device";
        case ValueKind::List: return "list";
        case ValueKind::Tuple: return "tuple";
        case ValueKind::Other: return "other";
    }
    return "other";
}

namespace {
template <class T>
std::string joinList(const std::vector<T>& v) {
    std::ostringstream os;
    os << '[';
    for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
    os << ']';
    return os.str();
}
}  // namespace

std::string constantToString(const Constant& c) {
    struct Visitor {
        std::string operator()(const NoneValue&) const { return "None"; }
        std::string operator()(bool b) const { return b ? "True" : "False"; }
        std::string operator()(int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { std::ostringstream os; os << d; return os.str(); }
        std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
        std::string operator()(const std::vector<int64_t>& v) const { return joinList(v); }
        std::string operator()(const std::vector<double>& v) const { return joinList(v); }
        std::string operator()(const std::vector<bool>& v) const {
            std::vector<int> ints(v.begin(), v.end());
            return joinList(ints);
        }
        std::string operator()(const Tensor& t) const { return "Tensor<" + dtypeName(t.dtype()) + " " + shapeToString(t.shape()) + ">"; }
    };
    return std::visit(Visitor{}, c);
}

Graph::Graph() { top_ = newBlock(); }

Value* Graph::newValue(std::string name, ValueKind kind, std::string typeName) {
    auto v = std::make_unique<Value>();
    v->name = std::move(name);
    v->kind = kind;
    v->typeName = std::move(typeName);
    values_.push_back(std::move(v));
    return values_.back().get();
}

Value* Graph::newConstant(std::string name, Constant c) {
    ValueKind kind = ValueKind::Other;
    std::string type;
    if (std::holds_alternative<NoneValue>(c)) { kind = ValueKind::None; type = "NoneType"; }
    else if (std::holds_alternative<bool>(c)) { kind = ValueKind::Bool; type = "bool"; }
    else if (std::holds_alternative<int64_t>(c)) { kind = ValueKind::Int; type = "int"; }
    else if (std::holds_alternative<double>(c)) { kind = ValueKind::Float; type = "float"; }
    else if (std::holds_alternative<std::string>(c)) { kind = ValueKind::String; type = "str"; }
    else if (std::holds_alternative<std::vector<int64_t>>(c)) { kind = ValueKind::List; type = "int[]"; }
    else if (std::holds_alternative<std::vector<double>>(c)) { kind = ValueKind::List; type = "float[]"; }
    else if (std::holds_alternative<std::vector<bool>>(c)) { kind = ValueKind::List; type = "bool[]"; }
    else if (const Tensor* t = std::get_if<Tensor>(&c)) {
        kind = ValueKind::Tensor;
        type = "Tensor";
    }
    Value* v = newValue(std::move(name), kind, type);
    if (const Tensor* t = std::get_if<Tensor>(&c)) {
        v->dtype = t->dtype();
        v->shape = t->shape();
        v->shapeKnown = true;
    }
    v->constant = std::move(c);
    return v;
}

Node* Graph::newNode(std::string kind, Provenance prov) {
    auto n = std::make_unique<Node>();
    n->id = nodes_.size();
    n->kind = std::move(kind);
    n->prov = std::move(prov);
    nodes_.push_back(std::move(n));
    return nodes_.back().get();
}

Block* Graph::newBlock() {
    blocks_.push_back(std::make_unique<Block>());
    return blocks_.back().get();
}

namespace {
void collect(const Block& b, std::vector<const Node*>& out) {
    for (const Node* n : b.nodes) {
        out.push_back(n);
        for (const Block* sub : n->blocks) collect(*sub, out);
    }
}

void dumpBlock(const Block& b, std::ostringstream& os, int indent) {
    const std::string pad(indent * 2, ' ');
    for (const Node* n : b.nodes) {
        os << pad;
        for (size_t i = 0; i < n->outputs.size(); ++i) os << (i ? ", " : "") << '%' << n->outputs[i]->name;
        os << " = " << n->kind << '(';
        for (size_t i = 0; i < n->inputs.size(); ++i) {
            const Value* v = n->inputs[i];
            os << (i ? ", " : "");
            if (v->constant && v->kind != ValueKind::Tensor) os << constantToString(*v->constant);
            else os << '%' << v->name;
        }
        os << ')';
        if (!n->prov.empty()) os << "  # " << n->prov.describe();
        os << '\n';
        for (const Block* sub : n->blocks) {
            os << pad << "  block:\n";
            dumpBlock(*sub, os, indent + 2);
        }
    }
}
}  // namespace

std::vector<const Node*> Graph::allNodes() const {
    std::vector<const Node*> out;
    out.reserve(nodes_.size());
    collect(*top_, out);
    return out;
}

std::string dumpGraph(const Graph& g) {
    std::ostringstream os;
    os << "graph(";
    for (size_t i = 0; i < g.top().inputs.size(); ++i) os << (i ? ", " : "") << '%' << g.top().inputs[i]->name;
    os << "):\n";
    dumpBlock(g.top(), os, 1);
    os << "  return (";
    for (size_t i = 0; i < g.top().outputs.size(); ++i) os << (i ? ", " : "") << '%' << g.top().outputs[i]->name;
    os << ")\n";
    return os.str();
}

}  // namespace cms::ir
