// slice_update (iOS18): a copy of x with the region x[begin:end:stride] (per dimension, with the masks of
// slice_by_index) replaced by `update`, whose shape must be that region's. Rank-0 updates are not allowed.
#include <algorithm>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {

// The region's shape when begin/end/stride are constants and x's sizes known; kUnknownDim otherwise.
Shape regionShape(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const size_t rank = x.shape.size();
    const bool constBounds = ctx.isConst("begin") && ctx.isConst("end");
    const std::vector<int64_t> begin = constBounds ? ctx.ints("begin") : std::vector<int64_t>(rank, 0);
    const std::vector<int64_t> end = constBounds ? ctx.ints("end") : std::vector<int64_t>(rank, 0);
    const std::vector<int64_t> stride = ctx.intsOr("stride", std::vector<int64_t>(rank, 1));
    const std::vector<int64_t> beginMask = ctx.intsOr("begin_mask", std::vector<int64_t>(rank, 0));
    const std::vector<int64_t> endMask = ctx.intsOr("end_mask", std::vector<int64_t>(rank, 0));
    const std::vector<int64_t> squeezeMask = ctx.intsOr("squeeze_mask", std::vector<int64_t>(rank, 0));
    for (const auto* v : {&begin, &end, &stride, &beginMask, &endMask, &squeezeMask})
        if (v->size() != rank) ctx.fail("begin, end, stride and the masks need one entry per dimension of x");
    Shape out;
    for (size_t i = 0; i < rank; ++i) {
        if (squeezeMask[i]) continue;
        const int64_t len = x.shape[i], s = stride[i];
        if (s == 0) ctx.fail("stride may not be 0");
        if (len == kUnknownDim || !constBounds) {
            out.push_back(kUnknownDim);
            continue;
        }
        // numpy's bounds: negative values count from the end, then clamp to the dimension.
        const auto bound = [&](int64_t v, bool masked, bool isBegin) {
            if (masked) return s > 0 ? (isBegin ? int64_t(0) : len) : (isBegin ? len - 1 : int64_t(-1));
            if (v < 0) v += len;
            return s > 0 ? std::clamp<int64_t>(v, 0, len) : std::clamp<int64_t>(v, -1, len - 1);
        };
        const int64_t b = bound(begin[i], beginMask[i] != 0, true), e = bound(end[i], endMask[i] != 0, false);
        out.push_back(s > 0 ? (e > b ? (e - b + s - 1) / s : 0) : (b > e ? (b - e - s - 1) / -s : 0));
    }
    return out;
}

TensorType inferSliceUpdate(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& update = ctx.type("update");
    if (update.dtype != x.dtype)
        ctx.fail("update (" + dtypeName(update.dtype) + ") must have the dtype of x (" + dtypeName(x.dtype) + ")");
    if (update.shape.empty()) ctx.fail("a rank-0 update is not supported");
    for (const char* name : {"begin", "end"})
        if (ctx.type(name).rank() != 1) ctx.fail(std::string("'") + name + "' must be a 1-D tensor");
    const Shape region = regionShape(ctx);
    bool fits = region.size() == update.shape.size();
    for (size_t i = 0; fits && i < region.size(); ++i)
        fits = region[i] == kUnknownDim || update.shape[i] == kUnknownDim || region[i] == update.shape[i];
    if (!fits)
        ctx.fail("update has shape " + shapeToString(update.shape) + " but the region it replaces is " +
                 shapeToString(region));
    return x;
}

}  // namespace

void registerSliceUpdateOps(OpRegistry& r) {
    const std::vector<DType> elems = {DType::Float16, DType::Float32, DType::Int8,   DType::Int16,
                                      DType::Int32,   DType::UInt8,   DType::UInt16, DType::Bool};
    const std::vector<DType> index = {DType::Int8, DType::Int16, DType::Int32};
    r.add({"slice_update", Target::iOS18,
           {{"x", false, false, false, elems},
            {"update", false, false, false, elems},
            {"begin", false, false, false, index},
            {"end", false, false, false, index},
            {"stride", true, false, true, index},
            {"begin_mask", true, false, true, {DType::Bool}},
            {"end_mask", true, false, true, {DType::Bool}},
            {"squeeze_mask", true, false, true, {DType::Bool}}},
           [](const InferContext& ctx) { return std::vector<TensorType>{inferSliceUpdate(ctx)}; },
           "x with the region x[begin:end:stride] replaced by update"});
}

}  // namespace cms::mil
