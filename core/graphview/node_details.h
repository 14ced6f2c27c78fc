#pragma once
// What the inspector shows for one display node (a source node or a MIL op): op, attributes (constant
// inputs), input and output types, provenance, and a summary of each weight (tensor constant) it reads.
#include <string>
#include <utility>
#include <vector>

#include "common/tensor.h"
#include "graphview/graph_view_model.h"

namespace cms::graphview {

struct WeightSummary {
    std::string name;
    Shape shape;
    DType dtype = DType::Invalid;
    size_t bytes = 0;
    bool hasRange = false;  // numeric and non-empty
    double min = 0.0;
    double max = 0.0;
};
WeightSummary summarizeWeight(const std::string& name, const Tensor& t);

struct PortDetails {
    std::string name;
    std::string type;  // "fp32 1x64x56x56", or the source type ("int[]") when not a known tensor
};

struct NodeDetails {
    std::string title;  // display name
    std::string kind;
    std::string family;
    std::string milName;   // ML Program view: the op's unique name in the program
    std::string sourceOp;  // ML Program view: the source op it was lowered from
    std::string modulePath;
    std::string moduleType;
    std::string file;
    int line = 0;
    // Constant inputs by argument name ("stride" -> "[2, 2]"), or "arg 3" for ops without a known schema.
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<PortDetails> inputs;
    std::vector<PortDetails> outputs;
    std::vector<WeightSummary> weights;
};

// Weight ranges are computed here, on demand: for one node's weights this is milliseconds.
NodeDetails describeNode(const GraphViewModel& model, int nodeId);
// "fp32 1x3x224x224", or the value's source type when it is not a tensor with a known shape.
std::string describeValueType(const ir::Value& v);
// "fp16 1x64x56x56" ("?" for a dimension known at run time only, "fp32 scalar" for rank 0).
std::string describeProgramType(const mil::TensorType& t);

}  // namespace cms::graphview
