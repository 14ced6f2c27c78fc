#include "mil/program.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace cms::mil {

bool TensorType::isStatic() const {
    return std::none_of(shape.begin(), shape.end(), [](int64_t d) { return d < 0; });
}

std::string TensorType::toString() const {
    std::ostringstream os;
    os << dtypeName(dtype) << '[';
    for (size_t i = 0; i < shape.size(); ++i) {
        os << (i ? "," : "");
        if (shape[i] < 0) os << '?'; else os << shape[i];
    }
    os << ']';
    return state ? "state<" + os.str() + ">" : os.str();
}

Value* Operation::input(const std::string& n) const {
    const auto* l = inputList(n);
    return (l && l->size() == 1) ? l->front() : nullptr;
}

const std::vector<Value*>* Operation::inputList(const std::string& n) const {
    for (const auto& in : inputs)
        if (in.name == n) return &in.values;
    return nullptr;
}

Function& Program::addFunction(const std::string& name, Target opset) {
    Function& f = functions[name];
    f.name = name;
    f.opset = opset;
    return f;
}

Value* Program::newValue(const std::string& nameHint, TensorType type) {
    auto v = std::make_unique<Value>();
    v->name = uniqueName(nameHint);
    v->type = std::move(type);
    values_.push_back(std::move(v));
    return values_.back().get();
}

Value* Program::newValueNamed(const std::string& name, TensorType type) {
    auto v = std::make_unique<Value>();
    v->name = name;
    names_.insert(name);
    v->type = std::move(type);
    values_.push_back(std::move(v));
    return values_.back().get();
}

std::string Program::uniqueName(const std::string& hint) {
    std::string base;
    base.reserve(hint.size());
    for (char c : hint) base.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    if (base.empty() || std::isdigit(static_cast<unsigned char>(base.front()))) base = "v_" + base;
    std::string name = base;
    for (int i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
    names_.insert(name);
    return name;
}

std::vector<Operation*> opsOf(Block& b) {
    std::vector<Operation*> out;
    out.reserve(b.ops.size());
    for (auto& op : b.ops) out.push_back(op.get());
    return out;
}

namespace {
size_t countBlock(const Block& b) {
    size_t n = 0;
    for (const auto& op : b.ops) {
        ++n;
        for (const auto& sub : op->blocks) n += countBlock(*sub);
    }
    return n;
}

void collectUses(Block& b, std::map<const Value*, std::vector<Operation*>>& uses) {
    for (auto& op : b.ops) {
        for (auto& in : op->inputs)
            for (Value* v : in.values) uses[v].push_back(op.get());
        for (auto& sub : op->blocks) collectUses(*sub, uses);
    }
}
}  // namespace

size_t countOps(const Program& p) {
    size_t n = 0;
    for (const auto& [name, f] : p.functions) n += countBlock(f.body);
    return n;
}

std::map<const Value*, std::vector<Operation*>> buildUses(Block& b) {
    std::map<const Value*, std::vector<Operation*>> uses;
    collectUses(b, uses);
    return uses;
}

bool isBlockOutput(const Block& b, const Value* v) {
    return std::find(b.outputs.begin(), b.outputs.end(), v) != b.outputs.end();
}

void replaceAllUses(Block& b, Value* from, Value* to) {
    for (auto& op : b.ops) {
        for (auto& in : op->inputs)
            for (Value*& v : in.values)
                if (v == from) v = to;
        for (auto& sub : op->blocks) replaceAllUses(*sub, from, to);
    }
    for (Value*& v : b.outputs) {
        if (v != from) continue;
        // Block outputs are named model outputs: the replacement takes over the user-facing name.
        if (to->producer) std::swap(to->name, from->name);
        v = to;
    }
}

namespace {
void dumpBlock(const Block& b, std::ostringstream& os, int indent) {
    const std::string pad(indent * 2, ' ');
    for (const auto& op : b.ops) {
        os << pad;
        for (size_t i = 0; i < op->outputs.size(); ++i)
            os << (i ? ", " : "") << op->outputs[i]->type.toString() << ' ' << op->outputs[i]->name;
        os << " = " << op->type << '(';
        bool first = true;
        for (const auto& in : op->inputs) {
            os << (first ? "" : ", ") << in.name << '=';
            first = false;
            if (in.values.size() != 1) os << '(';
            for (size_t i = 0; i < in.values.size(); ++i) os << (i ? ", " : "") << in.values[i]->name;
            if (in.values.size() != 1) os << ')';
        }
        if (op->type == "const" && op->output() && op->output()->constValue) {
            const Tensor& t = *op->output()->constValue;
            if (t.dtype() == DType::String) os << "val=\"" << t.stringValue() << '"';
            else if (t.numel() <= 8) {
                os << "val=[";
                auto v = t.toDoubles();
                for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
                os << ']';
            } else {
                os << "val=<" << t.numel() << " elements>";
            }
        }
        os << ')';
        if (!op->prov.empty()) os << "  # " << op->prov.describe();
        os << '\n';
        for (const auto& sub : op->blocks) {
            os << pad << "  {\n";
            dumpBlock(*sub, os, indent + 2);
            os << pad << "  }\n";
        }
    }
}
}  // namespace

std::string dumpProgram(const Program& p) {
    std::ostringstream os;
    os << "program(target=" << targetName(p.target) << ")\n";
    for (const auto& [name, f] : p.functions) {
        os << "func " << name << '<' << opsetName(f.opset) << ">(";
        for (size_t i = 0; i < f.inputs.size(); ++i)
            os << (i ? ", " : "") << f.inputs[i]->type.toString() << ' ' << f.inputs[i]->name;
        os << ") {\n";
        dumpBlock(f.body, os, 1);
        os << "} -> (";
        for (size_t i = 0; i < f.body.outputs.size(); ++i) os << (i ? ", " : "") << f.body.outputs[i]->name;
        os << ")\n";
    }
    return os.str();
}

}  // namespace cms::mil
