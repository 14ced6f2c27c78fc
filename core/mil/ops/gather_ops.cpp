// gather (pick slices by index along an axis), gather_along_axis (torch.gather semantics) and
// gather_nd (slices picked by index vectors over the leading dimensions).
// iOS16 adds small index types and batch_dims; iOS17 adds validate_indices and more element types.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kElems15 = {DType::Float16, DType::Float32, DType::Int32};
const std::vector<DType> kElems17 = {DType::Float16, DType::Float32, DType::Int32, DType::Int16,
                                     DType::UInt16,  DType::Int8,    DType::UInt8};
const std::vector<DType> kIndex15 = {DType::Int32};
const std::vector<DType> kIndex16 = {DType::Int32, DType::UInt16, DType::Int16};
const std::vector<DType> kIndex17 = {DType::Int32, DType::Int16, DType::UInt16, DType::Int8, DType::UInt8};

void checkIndices(const InferContext& ctx, int64_t axis) {
    if (!ctx.boolOr("validate_indices", false) || !ctx.isConst("indices")) return;
    const int64_t upper = ctx.type("x").shape[axis];
    if (upper == kUnknownDim) return;
    for (int64_t i : ctx.ints("indices"))
        if (i < 0 || i >= upper) ctx.fail("index " + std::to_string(i) + " is outside [0, " + std::to_string(upper) + ")");
}

TensorType inferGather(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& idx = ctx.type("indices");
    const int64_t axis = ctx.axis(ctx.intOr("axis", 0), x.rank());
    const int64_t batchDims = ctx.intOr("batch_dims", 0);
    if (batchDims >= x.rank()) ctx.fail("batch_dims must be less than the rank of x");
    if (batchDims > idx.rank()) ctx.fail("batch_dims must not exceed the rank of indices");
    checkIndices(ctx, axis);
    Shape out(x.shape.begin(), x.shape.begin() + axis);
    out.insert(out.end(), idx.shape.begin() + batchDims, idx.shape.end());
    out.insert(out.end(), x.shape.begin() + axis + 1, x.shape.end());
    return TensorType{x.dtype, out};
}

TensorType inferGatherAlongAxis(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& idx = ctx.type("indices");
    if (x.rank() != idx.rank())
        ctx.fail("x (rank " + std::to_string(x.rank()) + ") and indices (rank " + std::to_string(idx.rank()) +
                 ") must have the same rank");
    const int64_t axis = ctx.axis(ctx.intOr("axis", 0), x.rank());
    for (int64_t i = 0; i < x.rank(); ++i)
        if (i != axis && x.shape[i] != kUnknownDim && idx.shape[i] != kUnknownDim && x.shape[i] != idx.shape[i])
            ctx.fail("x and indices differ in size at axis " + std::to_string(i));
    checkIndices(ctx, axis);
    return TensorType{x.dtype, idx.shape};
}

// V = indices.shape[:-1] + x.shape[batch_dims + depth:], depth = indices.shape[-1].
TensorType inferGatherNd(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& idx = ctx.type("indices");
    const int64_t batchDims = ctx.intOr("batch_dims", 0);
    if (idx.rank() < 1) ctx.fail("indices must have rank 1 or more");
    const int64_t depth = idx.shape.back();
    if (depth == kUnknownDim) ctx.fail("the last dimension of indices (the index depth) must be known");
    if (batchDims < 0 || depth + batchDims > x.rank())
        ctx.fail("indices.shape[-1] (" + std::to_string(depth) + ") + batch_dims (" + std::to_string(batchDims) +
                 ") exceeds the rank of x (" + std::to_string(x.rank()) + ")");
    Shape out(idx.shape.begin(), idx.shape.end() - 1);
    out.insert(out.end(), x.shape.begin() + batchDims + depth, x.shape.end());
    return TensorType{x.dtype, out};
}

void declare(OpRegistry& r, const std::string& name, Target since, std::vector<InputDecl> inputs,
             TensorType (*infer)(const InferContext&), const std::string& summary) {
    r.add({name, since, std::move(inputs),
           [infer](const InferContext& ctx) { return std::vector<TensorType>{infer(ctx)}; }, summary});
}
}  // namespace

void registerGatherOps(OpRegistry& r) {
    const InputDecl axis{"axis", true, false, true, {DType::Int32}};
    const InputDecl batchDims{"batch_dims", true, false, true, {DType::Int32}};
    const InputDecl validate{"validate_indices", true, false, true, {DType::Bool}};
    const std::string gatherSummary = "slices of x picked by indices along an axis";
    const std::string alongSummary = "elements of x picked by indices of the same rank along an axis";

    declare(r, "gather", Target::iOS15, {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex15}, axis},
            inferGather, gatherSummary);
    declare(r, "gather", Target::iOS16,
            {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex16}, axis, batchDims}, inferGather,
            gatherSummary);
    declare(r, "gather", Target::iOS17,
            {{"x", false, false, false, kElems17}, {"indices", false, false, false, kIndex17}, axis, batchDims, validate},
            inferGather, gatherSummary);

    declare(r, "gather_along_axis", Target::iOS15,
            {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex15}, axis}, inferGatherAlongAxis,
            alongSummary);
    declare(r, "gather_along_axis", Target::iOS16,
            {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex16}, axis}, inferGatherAlongAxis,
            alongSummary);
    declare(r, "gather_along_axis", Target::iOS17,
            {{"x", false, false, false, kElems17}, {"indices", false, false, false, kIndex17}, axis, validate},
            inferGatherAlongAxis, alongSummary);

    const std::string ndSummary = "slices of x addressed by index vectors over its leading dimensions";
    declare(r, "gather_nd", Target::iOS15, {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex15}},
            inferGatherNd, ndSummary);
    declare(r, "gather_nd", Target::iOS16,
            {{"x", false, false, false, kElems15}, {"indices", false, false, false, kIndex16}, batchDims}, inferGatherNd,
            ndSummary);
    declare(r, "gather_nd", Target::iOS17,
            {{"x", false, false, false, kElems17}, {"indices", false, false, false, kIndex17}, batchDims, validate},
            inferGatherNd, ndSummary);
}

}  // namespace cms::mil
