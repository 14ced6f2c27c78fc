// The scatter family: write `updates` into a copy of `data` at positions given by indices, combining
// with the old value by `mode`. scatter addresses slices along one axis by a 1-D index, scatter_along_axis
// addresses single elements (torch.scatter semantics), scatter_nd addresses slices by index vectors over
// the leading dimensions. iOS17 adds validate_indices (and no longer accepts negative indices at run time).
#include <algorithm>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kElems = {DType::Float16, DType::Float32, DType::Int32};
const std::vector<std::string> kModes = {"update", "add", "sub", "mul", "div", "max", "min"};

bool compatible(int64_t a, int64_t b) { return a == kUnknownDim || b == kUnknownDim || a == b; }

void checkMode(const InferContext& ctx) {
    const std::string mode = ctx.stringOr("mode", "add");
    if (std::find(kModes.begin(), kModes.end(), mode) == kModes.end())
        ctx.fail("mode '" + mode + "' is not one of update, add, sub, mul, div, max, min");
}

void checkSameDtype(const InferContext& ctx) {
    if (ctx.type("updates").dtype != ctx.type("data").dtype)
        ctx.fail("updates (" + dtypeName(ctx.type("updates").dtype) + ") must have the dtype of data (" +
                 dtypeName(ctx.type("data").dtype) + ")");
}

void checkShape(const InferContext& ctx, const Shape& updates, const Shape& expected) {
    bool ok = updates.size() == expected.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = compatible(updates[i], expected[i]);
    if (!ok) ctx.fail("updates have shape " + shapeToString(updates) + ", expected " + shapeToString(expected));
}

// updates = data.shape[:axis] + indices.shape + data.shape[axis+1:], indices 1-D.
TensorType inferScatter(const InferContext& ctx) {
    const TensorType& data = ctx.type("data");
    const TensorType& idx = ctx.type("indices");
    const int64_t axis = ctx.axis(ctx.intOr("axis", 0), data.rank());
    checkMode(ctx);
    checkSameDtype(ctx);
    if (idx.rank() != 1) ctx.fail("indices must be 1-D, got " + idx.toString());
    Shape expected(data.shape.begin(), data.shape.begin() + axis);
    expected.insert(expected.end(), idx.shape.begin(), idx.shape.end());
    expected.insert(expected.end(), data.shape.begin() + axis + 1, data.shape.end());
    checkShape(ctx, ctx.type("updates").shape, expected);
    return data;
}

// indices and updates share one shape, which equals data's outside the axis.
TensorType inferScatterAlongAxis(const InferContext& ctx) {
    const TensorType& data = ctx.type("data");
    const TensorType& idx = ctx.type("indices");
    const int64_t axis = ctx.axis(ctx.intOr("axis", 0), data.rank());
    checkMode(ctx);
    checkSameDtype(ctx);
    if (idx.rank() != data.rank())
        ctx.fail("indices (rank " + std::to_string(idx.rank()) + ") must have the rank of data (" + std::to_string(data.rank()) + ")");
    for (int64_t i = 0; i < data.rank(); ++i)
        if (i != axis && !compatible(data.shape[i], idx.shape[i]))
            ctx.fail("data and indices differ in size at axis " + std::to_string(i));
    checkShape(ctx, ctx.type("updates").shape, idx.shape);
    return data;
}

// updates = indices.shape[:-1] + data.shape[indices.shape[-1]:].
TensorType inferScatterNd(const InferContext& ctx) {
    const TensorType& data = ctx.type("data");
    const TensorType& idx = ctx.type("indices");
    checkMode(ctx);
    checkSameDtype(ctx);
    if (idx.rank() < 1) ctx.fail("indices must have rank 1 or more");
    const int64_t depth = idx.shape.back();
    if (depth == kUnknownDim || depth > data.rank())
        ctx.fail("indices.shape[-1] must be known and at most the rank of data (" + std::to_string(data.rank()) + ")");
    Shape expected(idx.shape.begin(), idx.shape.end() - 1);
    expected.insert(expected.end(), data.shape.begin() + depth, data.shape.end());
    checkShape(ctx, ctx.type("updates").shape, expected);
    return data;
}

void declare(OpRegistry& r, const std::string& name, Target since, std::vector<InputDecl> inputs,
             TensorType (*infer)(const InferContext&), const std::string& summary) {
    r.add({name, since, std::move(inputs),
           [infer](const InferContext& ctx) { return std::vector<TensorType>{infer(ctx)}; }, summary});
}
}  // namespace

void registerScatterOps(OpRegistry& r) {
    const InputDecl data{"data", false, false, false, kElems};
    const InputDecl indices{"indices", false, false, false, {DType::Int32}};
    const InputDecl updates{"updates", false, false, false, kElems};
    const InputDecl axis{"axis", true, false, true, {DType::Int32}};
    const InputDecl mode{"mode", true, false, true, {DType::String}};
    const InputDecl validate{"validate_indices", true, false, true, {DType::Bool}};
    for (Target since : {Target::iOS15, Target::iOS17}) {
        std::vector<InputDecl> extra;
        if (since == Target::iOS17) extra.push_back(validate);
        auto with = [&](std::vector<InputDecl> v) {
            v.insert(v.end(), extra.begin(), extra.end());
            return v;
        };
        declare(r, "scatter", since, with({data, indices, updates, axis, mode}), inferScatter,
                "data with the slices along an axis at 1-D indices combined with updates");
        declare(r, "scatter_along_axis", since, with({data, indices, updates, axis, mode}), inferScatterAlongAxis,
                "data with the elements at indices along an axis combined with updates");
        declare(r, "scatter_nd", since, with({data, indices, updates, mode}), inferScatterNd,
                "data with the slices at index vectors combined with updates");
    }
}

}  // namespace cms::mil
