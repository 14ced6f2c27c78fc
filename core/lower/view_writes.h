#pragma once
// In-place writes through views. TorchScript records `x[:, 0:2] = v` as aten::copy_ into the output of
// aten::slice of x, and `y.add_(1)` as an op whose result lives in y itself; lowering computes every op
// functionally, so without this tracker such writes would never reach the tensors read afterwards.
// The tracker follows which values alias which through view ops (slice, select, narrow, reshape of a
// contiguous view, squeeze/unsqueeze, transpose/permute, expand, identities), and after an in-place op
// writes its functional result back into the root tensor (a scatter at the view's element positions, or a
// reshape when the view covers the whole tensor), rebinds the root, and re-derives the views read later.
// Writes it cannot express (through an expanded view, a piece of split/chunk/unbind, a reshape that
// copies, a value from outside a control-flow body) fail with an error naming the node and the base.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "ir/graph.h"
#include "lower/lower_context.h"

namespace cms::lower {

// True for in-place source ops ("aten::add_", "aten::copy_", "aten::_index_put_impl_"; not "aten::__and__").
bool isInPlaceOp(const std::string& kind);

class ViewWrites {
public:
    using TranslateFn = std::function<void(const ir::Node&)>;
    // Translates `node` (through `translate`) and, for a view op, records what it aliases; for an in-place
    // op, writes the result back to the base. `block` lists the nodes of the control-flow body being
    // translated, null at top level.
    void translate(LowerContext& ctx, const ir::Node& node, const std::vector<ir::Node*>* block, const TranslateFn& translate);

private:
    // Where a view's elements sit in its root tensor: element (i0, i1, ...) of the view is element
    // offset + sum(ik * strides[k]) of the root, counted in the root's row-major order.
    struct Alias {
        const ir::Value* root = nullptr;
        int64_t offset = 0;
        Shape sizes;
        std::vector<int64_t> strides;
        std::string unsupported;  // why a write through this view cannot be expressed; empty when it can
        // For a chain of slices and selects: the region of the root per root dimension, in slice_update's
        // terms (a select is a squeezed dimension), and the root dimension of each view dimension.
        struct Box {
            std::vector<int64_t> begin, end, stride;
            std::vector<bool> squeeze;
            std::vector<size_t> dims;
            // Root dimensions whose slice starts at a run-time position (x[:, :, pos:pos + n] = v with pos a
            // model input, as a KV cache is written): the start's IR value. Only slice_update (iOS18) writes them.
            std::map<size_t, const ir::Value*> runtimeBegin;
        };
        std::optional<Box> box;
    };

    std::optional<Alias> aliasOf(LowerContext& ctx, const ir::Value* v) const;
    void recordView(LowerContext& ctx, const ir::Node& node);
    void writeBack(LowerContext& ctx, const ir::Node& node, const std::vector<ir::Node*>* block, const TranslateFn& translate);
    void lowerCopy(LowerContext& ctx, const ir::Node& node);
    // After a write: views of the root taken before it are derived again, and the in-place op's output aliases
    // its target.
    void rederive(LowerContext& ctx, const ir::Node& node, const Alias& alias, const TranslateFn& translate);
    // slice_update of the root at a region with run-time starts; returns the updated root.
    mil::Value* runtimeRegionUpdate(LowerContext& ctx, const Alias& alias, mil::Value* result, const std::string& name);

    std::map<const ir::Value*, Alias> aliases_;    // view outputs only
    std::vector<const ir::Node*> aliasNodes_;      // view and in-place nodes, in translation order
    std::set<const ir::Node*> recorded_;
};

}  // namespace cms::lower
