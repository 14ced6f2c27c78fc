#include "graphview/node_details.h"

#include <algorithm>
#include <cstdio>

#include "graphview/op_arguments.h"

namespace cms::graphview {

WeightSummary summarizeWeight(const std::string& name, const Tensor& t) {
    WeightSummary s;
    s.name = name;
    s.shape = t.shape();
    s.dtype = t.dtype();
    s.bytes = t.nbytes();
    if ((isFloat(s.dtype) || isInteger(s.dtype)) && t.numel() > 0) {
        const std::vector<double> values = t.toDoubles();
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        s.min = *lo;
        s.max = *hi;
        s.hasRange = true;
    }
    return s;
}

std::string describeValueType(const ir::Value& v) {
    if (v.kind == ir::ValueKind::Tensor && v.shapeKnown)
        return (v.dtype == DType::Invalid ? std::string() : dtypeName(v.dtype) + " ") + shapeToString(v.shape);
    if (v.kind == ir::ValueKind::Tensor) return "tensor (shape not inferred)";
    return v.typeName.empty() ? valueKindName(v.kind) : v.typeName;
}

namespace {

bool isPacking(const ir::Node* n) { return n->kind == "prim::ListConstruct" || n->kind == "prim::TupleConstruct"; }

// A folded list or tuple printed as its elements: constants by value, others by name.
std::string packedToString(const ir::Node& pack) {
    std::string out = pack.kind == "prim::TupleConstruct" ? "(" : "[";
    for (size_t i = 0; i < pack.inputs.size(); ++i) {
        const ir::Value* e = pack.inputs[i];
        if (i) out += ", ";
        if (e->constant) out += ir::constantToString(*e->constant);
        else if (e->producer && isPacking(e->producer)) out += packedToString(*e->producer);
        else out += "%" + e->name;
    }
    return out + (pack.kind == "prim::TupleConstruct" ? ")" : "]");
}

void collectWeights(const ir::Value* v, std::vector<WeightSummary>& out) {
    if (v->constant && std::holds_alternative<Tensor>(*v->constant)) {
        const Tensor& t = std::get<Tensor>(*v->constant);
        if (t.defined() && t.dtype() != DType::String) out.push_back(summarizeWeight(v->name, t));
        return;
    }
    if (v->producer && isPacking(v->producer))
        for (const ir::Value* e : v->producer->inputs) collectWeights(e, out);
}

}  // namespace

std::string describeProgramType(const mil::TensorType& t) {
    std::string dims;
    for (size_t i = 0; i < t.shape.size(); ++i)
        dims += (i ? "x" : "") + (t.shape[i] == mil::kUnknownDim ? std::string("?") : std::to_string(t.shape[i]));
    return dtypeName(t.dtype) + (t.shape.empty() ? " scalar" : " " + dims);
}

namespace {

// Constants with more elements than this are weights (summarised), smaller ones are printed.
constexpr int64_t kPrintedConstElements = 16;

std::string constToString(const Tensor& t) {
    if (t.dtype() == DType::String || t.dtype() == DType::Bool || !(isFloat(t.dtype()) || isInteger(t.dtype())))
        return describeProgramType({t.dtype(), t.shape()});
    const std::vector<double> values = t.toDoubles();
    std::string out = t.shape().empty() ? "" : "[";
    for (size_t i = 0; i < values.size(); ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", values[i]);
        out += (i ? ", " : "") + std::string(buf);
    }
    return out + (t.shape().empty() ? "" : "]");
}

NodeDetails describeProgramOp(const DisplayNode& d) {
    NodeDetails out;
    out.title = d.name;
    out.kind = d.kind;
    out.family = opFamilyName(d.family);
    if (d.programValue) {
        PortDetails port{d.name, describeProgramType(d.programValue->type)};
        (d.family == OpFamily::Input ? out.outputs : out.inputs).push_back(port);
        return out;
    }
    const mil::Operation& op = *d.op;
    out.milName = op.name;
    out.modulePath = op.prov.modulePath;
    out.moduleType = op.prov.moduleType;
    out.sourceOp = op.prov.sourceOp;
    out.file = op.prov.file;
    out.line = op.prov.line;
    for (const mil::OpInput& in : op.inputs) {
        for (size_t i = 0; i < in.values.size(); ++i) {
            const mil::Value* v = in.values[i];
            if (!v) continue;
            const std::string arg = in.values.size() > 1 ? in.name + "[" + std::to_string(i) + "]" : in.name;
            if (v->isConst() && v->constValue->defined() && v->constValue->numel() > kPrintedConstElements &&
                v->constValue->dtype() != DType::String) {
                out.weights.push_back(summarizeWeight(v->name, *v->constValue));
                out.attributes.push_back({arg, v->name});  // summarised under the weights
            } else if (v->isConst() && v->constValue->defined()) {
                out.attributes.push_back({arg, constToString(*v->constValue)});
            } else {
                out.inputs.push_back({arg + ": " + v->name, describeProgramType(v->type)});
            }
        }
    }
    for (const mil::Value* v : op.outputs) out.outputs.push_back({v->name, describeProgramType(v->type)});
    return out;
}

}  // namespace

NodeDetails describeNode(const GraphViewModel& model, int nodeId) {
    const DisplayNode& d = model.nodes().at(nodeId);
    if (model.isProgram()) return describeProgramOp(d);
    NodeDetails out;
    out.title = d.name;
    out.kind = d.kind;
    out.family = opFamilyName(d.family);
    if (d.interfaceValue) {
        PortDetails port{d.name, describeValueType(*d.interfaceValue)};
        (d.family == OpFamily::Input ? out.outputs : out.inputs).push_back(port);
        return out;
    }
    const ir::Node& n = *d.source;
    out.modulePath = n.prov.modulePath;
    out.moduleType = n.prov.moduleType;
    out.file = n.prov.file;
    out.line = n.prov.line;
    const std::vector<std::string> names = argumentNames(n.kind, n.inputs.size());
    for (size_t i = 0; i < n.inputs.size(); ++i) {
        const ir::Value* v = n.inputs[i];
        const std::string arg = names.empty() ? "arg " + std::to_string(i) : names[i];
        if (v->constant && std::holds_alternative<Tensor>(*v->constant)) {
            collectWeights(v, out.weights);
            out.attributes.push_back({arg, v->name});  // summarised under the weights
        } else if (v->constant) {
            out.attributes.push_back({arg, ir::constantToString(*v->constant)});
        } else if (v->producer && isPacking(v->producer)) {
            collectWeights(v, out.weights);
            out.attributes.push_back({arg, packedToString(*v->producer)});
            for (const ir::Value* e : v->producer->inputs)
                if (!e->constant && !(e->producer && isPacking(e->producer)))
                    out.inputs.push_back({e->name, describeValueType(*e)});
        } else {
            out.inputs.push_back({v->name, describeValueType(*v)});
        }
    }
    for (const ir::Value* v : n.outputs) out.outputs.push_back({v->name, describeValueType(*v)});
    return out;
}

}  // namespace cms::graphview
