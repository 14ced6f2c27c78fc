#include "mil/ops/shape_inference.h"

namespace cms::mil {

Shape broadcastShapes(const InferContext& ctx, const Shape& a, const Shape& b) {
    const size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (size_t i = 0; i < rank; ++i) {
        const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da == db) out[i] = da;
        else if (da == 1) out[i] = db;
        else if (db == 1) out[i] = da;
        else if (da == kUnknownDim || db == kUnknownDim) out[i] = da == kUnknownDim ? db : da;
        else ctx.fail("shapes " + shapeToString(a) + " and " + shapeToString(b) + " cannot be broadcast together");
    }
    return out;
}

TensorType binaryElementwiseType(const InferContext& ctx, DType resultDtype) {
    const TensorType& x = ctx.type("x");
    const TensorType& y = ctx.type("y");
    if (x.dtype != y.dtype)
        ctx.fail("inputs x (" + dtypeName(x.dtype) + ") and y (" + dtypeName(y.dtype) + ") must have the same dtype");
    return TensorType{resultDtype, broadcastShapes(ctx, x.shape, y.shape)};
}

}  // namespace cms::mil
