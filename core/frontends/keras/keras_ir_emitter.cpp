#include "frontends/keras/keras_ir_emitter.h"

#include "common/error.h"

namespace cms::frontends::keras {

void IrEmitter::setLayer(const std::string& modulePath, const std::string& className) {
    prov_ = {};
    prov_.modulePath = modulePath;
    prov_.moduleType = className;
    prov_.file = graph_.sourcePath;
}

std::string IrEmitter::uniqueName(const std::string& base) {
    const int n = nameCounts_[base]++;
    return n == 0 ? base : base + "_" + std::to_string(n);
}

std::vector<ir::Value*> IrEmitter::ops(const std::string& kind, const std::vector<ir::Value*>& inputs, size_t outputs) {
    ir::Provenance prov = prov_;
    prov.sourceOp = kind;
    ir::Node* node = graph_.newNode(kind, prov);
    node->inputs = inputs;
    const std::string base = prov_.modulePath.empty() ? std::string("x") : prov_.modulePath;
    for (size_t i = 0; i < outputs; ++i) {
        ir::Value* v = graph_.newValue(uniqueName(base), ir::ValueKind::Tensor, "Tensor");
        v->producer = node;
        node->outputs.push_back(v);
    }
    graph_.top().nodes.push_back(node);
    return node->outputs;
}

ir::Value* IrEmitter::constInt(int64_t v) { return graph_.newConstant(uniqueName("int"), v); }
ir::Value* IrEmitter::constInts(const std::vector<int64_t>& v) { return graph_.newConstant(uniqueName("ints"), v); }
ir::Value* IrEmitter::constFloat(double v) { return graph_.newConstant(uniqueName("float"), v); }
ir::Value* IrEmitter::constBool(bool v) { return graph_.newConstant(uniqueName("bool"), v); }
ir::Value* IrEmitter::constNone() { return graph_.newConstant(uniqueName("none"), ir::NoneValue{}); }
ir::Value* IrEmitter::constString(const std::string& v) { return graph_.newConstant(uniqueName("str"), v); }

ir::Value* IrEmitter::constTensor(const Tensor& t, const std::string& role) {
    return graph_.newConstant(uniqueName((prov_.modulePath.empty() ? std::string() : prov_.modulePath + ".") + role),
                              t);
}

ir::Value* IrEmitter::list(const std::vector<ir::Value*>& items) {
    ir::Provenance prov = prov_;
    prov.sourceOp = "prim::ListConstruct";
    ir::Node* node = graph_.newNode("prim::ListConstruct", prov);
    node->inputs = items;
    ir::Value* v = graph_.newValue(uniqueName("list"), ir::ValueKind::List, "Tensor[]");
    v->producer = node;
    node->outputs.push_back(v);
    graph_.top().nodes.push_back(node);
    return v;
}

int64_t IrEmitter::storedAxis(const KTensor& t, int64_t axis) {
    const int64_t rank = t.rank();
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank)
        throw Error(ErrorKind::Conversion,
                    "axis " + std::to_string(axis) + " is out of range for a rank-" + std::to_string(rank) + " tensor");
    if (!t.channelsFirst || axis == 0) return axis;
    return axis == rank - 1 ? 1 : axis + 1;
}

ir::Value* IrEmitter::channelsLast(const KTensor& t) {
    if (!t.channelsFirst) return t.value;
    auto it = otherLayout_.find(t.value);
    if (it != otherLayout_.end()) return it->second;
    std::vector<int64_t> perm = {0};
    for (int64_t d = 2; d < t.rank(); ++d) perm.push_back(d);
    perm.push_back(1);
    ir::Value* v = op("aten::permute", {t.value, constInts(perm)});
    otherLayout_[t.value] = v;
    otherLayout_[v] = t.value;
    return v;
}

ir::Value* IrEmitter::channelsFirst(const KTensor& t) {
    if (t.channelsFirst || t.rank() < 3) return t.value;
    auto it = otherLayout_.find(t.value);
    if (it != otherLayout_.end()) return it->second;
    std::vector<int64_t> perm = {0, t.rank() - 1};
    for (int64_t d = 1; d < t.rank() - 1; ++d) perm.push_back(d);
    ir::Value* v = op("aten::permute", {t.value, constInts(perm)});
    otherLayout_[t.value] = v;
    otherLayout_[v] = t.value;
    return v;
}

}  // namespace cms::frontends::keras
