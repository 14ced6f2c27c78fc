#pragma once
// Helpers of the indexing translators (index, index_put, the scatters, masked_scatter): torch's
// advanced-index lists resolved against a tensor, and small MIL building blocks they share.
#include <optional>
#include <string>
#include <vector>

#include "lower/lower_context.h"

namespace cms::lower {

// x converted to `dtype` by a cast op (x itself when it already has that type).
mil::Value* castValue(LowerContext& ctx, mil::Value* x, DType dtype, const std::string& name);
// x[begin:end] along dim (static bounds, 0 <= begin < end <= size); x itself for the whole range.
mil::Value* sliceRange(LowerContext& ctx, mil::Value* x, int64_t dim, int64_t begin, int64_t end, const std::string& name);
// x broadcast to `shape` (numpy rules, static shapes): leading dims added, size-1 dims tiled.
mil::Value* broadcastTo(LowerContext& ctx, mil::Value* x, const Shape& shape, const std::string& name);
// The static broadcast shape of several shapes; fails the node when they do not broadcast.
Shape broadcastShape(const LowerContext& ctx, const std::vector<Shape>& shapes);
// x transposed by perm (x itself for the identity).
mil::Value* permuted(LowerContext& ctx, mil::Value* x, const std::vector<int64_t>& perm, const std::string& name);

// One integer index tensor of an advanced-index list, addressing dimension `dim` of the indexed tensor.
struct AdvancedIndex {
    int64_t dim = 0;
    mil::Value* indices = nullptr;  // int32, negatives already counted from the end
    Shape shape;
};

// The non-None entries of a torch index list (aten::index / index_put's `indices`) for a tensor of
// shape `xShape`: integer tensors (constant or run time, negatives normalised) and constant bool
// masks, which become one integer index per masked dimension. Run-time masks fail the node.
std::vector<AdvancedIndex> advancedIndices(LowerContext& ctx, const ir::Value* list, const Shape& xShape, const std::string& name);

// How the indexed dimensions are laid out for gather_nd / scatter_nd: x is transposed so that the
// indexed dimensions come first, and the result of x[indices] has the broadcast index shape either at
// the front or, when the indexed dimensions are adjacent, where the first of them was (torch's rule).
struct IndexLayout {
    std::vector<int64_t> perm;   // x -> indexed dims first
    Shape broadcast;             // common shape of the index tensors
    mil::Value* stacked = nullptr;  // int32 [broadcast..., k] index vectors
    int64_t resultPosition = 0;  // where the broadcast dims sit in torch's result
    Shape resultShape;           // torch's x[indices] shape
};
IndexLayout indexLayout(LowerContext& ctx, const std::vector<AdvancedIndex>& indices, const Shape& xShape, const std::string& name);
// The permutation from gather_nd's [broadcast..., rest...] order to torch's result order.
std::vector<int64_t> resultPerm(const IndexLayout& layout, int64_t resultRank);

}  // namespace cms::lower
