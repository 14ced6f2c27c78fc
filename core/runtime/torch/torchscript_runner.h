#pragma once
// Runs the source TorchScript model with libtorch (CPU, eval mode, no autograd): the reference the
// converted package is compared with. Optionally captures every node's tensor outputs, labelled
// with the same provenance (module path + op) the importer gives IR nodes, so per-layer values can
// be matched to MIL ops. This header does not include libtorch.
#include <memory>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "ir/provenance.h"

namespace cms::runtime {

struct CapturedValue {
    size_t nodeIndex = 0;    // execution order among the graph's top-level nodes
    size_t outputIndex = 0;  // which output of the node
    std::vector<size_t> inputNodes;  // nodeIndex of the nodes producing this node's inputs (constants excluded)
    ir::Provenance provenance;
    Tensor value;
};

class TorchScriptRunner {
public:
    // Loads onto the CPU, switches to eval mode, freezes and inlines as the importer does.
    // Throws cms::Error (Input) naming the file.
    explicit TorchScriptRunner(const std::string& path);
    ~TorchScriptRunner();
    TorchScriptRunner(TorchScriptRunner&&) noexcept;
    TorchScriptRunner& operator=(TorchScriptRunner&&) noexcept;

    // forward()'s argument names, self excluded.
    std::vector<std::string> inputNames() const;
    // Runs forward() on the inputs in argument order; returns its tensors (tuples and lists are
    // flattened in order). With `captured`, also fills in every top-level node's tensor outputs.
    std::vector<Tensor> run(const std::vector<Tensor>& inputs, std::vector<CapturedValue>* captured = nullptr) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cms::runtime
