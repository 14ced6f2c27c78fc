#pragma once
// Writes Keras layers into the IR as the source ops the TorchScript path already lowers (aten::conv2d,
// aten::linear, aten::lstm, ...), so every Keras layer reuses translators and interpreter kernels that are
// checked against libtorch. Keras is channels-last; those ops (like MIL's conv and pool) are channels-first.
// Each tensor therefore carries its Keras shape and the layout it is stored in: layers that need
// channels-first get a transpose only when their input is not already stored that way, elementwise
// layers keep whatever layout they are given, and a conv -> batch norm -> relu -> conv chain
// stays channels-first without transposes in between.
#include <map>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "ir/graph.h"

namespace cms::frontends::keras {

// A Keras tensor as imported: its value, Keras's (channels-last) shape with the batch included, and
// whether the value holds it channels-first ([N, C, spatial...]) instead.
struct KTensor {
    ir::Value* value = nullptr;
    Shape shape;
    bool channelsFirst = false;
    int64_t rank() const { return static_cast<int64_t>(shape.size()); }
    int64_t channels() const { return shape.back(); }
};

class IrEmitter {
public:
    explicit IrEmitter(ir::Graph& graph) : graph_(graph) {}

    // Provenance of the nodes emitted next: the Keras layer (path, class) being imported.
    void setLayer(const std::string& modulePath, const std::string& className);
    const ir::Provenance& layer() const { return prov_; }

    // One source op with `outputs` tensor results; returns them.
    std::vector<ir::Value*> ops(const std::string& kind, const std::vector<ir::Value*>& inputs, size_t outputs);
    ir::Value* op(const std::string& kind, const std::vector<ir::Value*>& inputs) { return ops(kind, inputs, 1)[0]; }

    ir::Value* constInt(int64_t v);
    ir::Value* constInts(const std::vector<int64_t>& v);
    ir::Value* constFloat(double v);
    ir::Value* constBool(bool v);
    ir::Value* constNone();
    ir::Value* constString(const std::string& v);
    ir::Value* constTensor(const Tensor& t, const std::string& role);
    ir::Value* list(const std::vector<ir::Value*>& items);  // prim::ListConstruct

    // The tensor's value in the layout asked for (a permute is emitted once per tensor and layout).
    ir::Value* channelsLast(const KTensor& t);
    ir::Value* channelsFirst(const KTensor& t);
    // The tensor re-expressed in the layout asked for (shape unchanged).
    KTensor asChannelsLast(const KTensor& t) { return {channelsLast(t), t.shape, false}; }
    KTensor asChannelsFirst(const KTensor& t) { return {channelsFirst(t), t.shape, t.rank() >= 3}; }
    // Dimension of the stored value that holds Keras axis `axis` (negative counts from the end).
    static int64_t storedAxis(const KTensor& t, int64_t axis);

private:
    std::string uniqueName(const std::string& base);

    ir::Graph& graph_;
    ir::Provenance prov_;
    std::map<std::string, int> nameCounts_;
    std::map<const ir::Value*, ir::Value*> otherLayout_;  // value -> the same tensor in the other layout
};

}  // namespace cms::frontends::keras
