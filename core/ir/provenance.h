#pragma once
// Where a node came from in the user's model. Carried from import through lowering into every
// MIL op, the package sidecar, reports and errors, so users read `layer3.1.conv2`, not `conv_17`.
#include <string>

namespace cms::ir {

struct Provenance {
    std::string modulePath;  // e.g. "layer1.0.conv1"; empty at the top level
    std::string moduleType;  // e.g. "Conv2d" where the importer knows it
    std::string sourceOp;    // e.g. "aten::_convolution"
    std::string file;        // source file the node was scripted/traced from
    int line = 0;            // 1-based; 0 when unknown
    // ir::Node::id of the source node a MIL op was lowered from (-1: unknown), so the graph view links a
    // source node to exactly its MIL ops even when one line emits the same op several times.
    long long sourceNode = -1;

    // "layer1.0.conv1 (aten::_convolution, resnet.py:42)": for errors and reports.
    std::string describe() const;
    bool empty() const { return modulePath.empty() && sourceOp.empty() && file.empty(); }
};

}  // namespace cms::ir
