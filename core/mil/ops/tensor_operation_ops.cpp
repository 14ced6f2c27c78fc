// Ops that build, combine or split tensors: concat, split, stack, tile, fill, fill_like,
// range_1d, shape, identity, select, band_part, cumsum, the sorting ops topk and argsort, and
// non_maximum_suppression.
#include <algorithm>
#include <cmath>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
const std::vector<DType> kElems = {DType::Float16, DType::Float32, DType::Int32, DType::Bool};
const std::vector<DType> kNumeric = {DType::Float16, DType::Float32, DType::Int32};

bool known(int64_t d) { return d != kUnknownDim; }

TensorType inferConcat(const InferContext& ctx) {
    const size_t n = ctx.listSize("values");
    if (n == 0) ctx.fail("concat needs at least one value");
    const TensorType& first = ctx.listValue("values", 0).type;
    const int64_t rank = first.rank();
    for (size_t i = 1; i < n; ++i) {
        const TensorType& t = ctx.listValue("values", i).type;
        if (t.rank() != rank) ctx.fail("all values must have the same rank (" + first.toString() + " vs " + t.toString() + ")");
        if (t.dtype != first.dtype) ctx.fail("all values must have the same dtype (" + first.toString() + " vs " + t.toString() + ")");
    }
    const int64_t axis = rank == 0 ? 0 : ctx.axis(ctx.intValue("axis"), rank);
    const bool interleave = ctx.boolOr("interleave", false);
    Shape out = first.shape;
    for (size_t i = 1; i < n; ++i) {
        const Shape& s = ctx.listValue("values", i).type.shape;
        for (int64_t d = 0; d < rank; ++d) {
            if (!known(out[d]) || !known(s[d])) continue;
            if ((d != axis || interleave) && out[d] != s[d])
                ctx.fail("dimension mismatch: " + first.toString() + " vs " + ctx.listValue("values", i).type.toString());
        }
    }
    int64_t total = 0;
    for (size_t i = 0; i < n; ++i) {
        const Shape& s = ctx.listValue("values", i).type.shape;
        const int64_t d = s.empty() ? 1 : s[axis];
        if (!known(d)) { total = kUnknownDim; break; }
        total += d;
    }
    if (out.empty()) out = {total};
    else out[axis] = total;
    return TensorType{first.dtype, out};
}

std::vector<TensorType> inferSplit(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const int64_t axis = ctx.axis(ctx.intValue("axis"), x.rank());
    std::vector<int64_t> sizes;
    if (!ctx.has("num_splits") && !ctx.has("split_sizes")) ctx.fail("needs num_splits or split_sizes");
    if (ctx.has("num_splits")) {
        const int64_t n = ctx.intValue("num_splits");
        if (n <= 0) ctx.fail("num_splits must be positive");
        if (!ctx.has("split_sizes")) {
            const int64_t d = x.shape[axis];
            if (known(d) && d % n != 0)
                ctx.fail("num_splits " + std::to_string(n) + " does not divide the dimension of length " + std::to_string(d));
            sizes.assign(static_cast<size_t>(n), known(d) ? d / n : kUnknownDim);
        } else {
            sizes = ctx.ints("split_sizes");
        }
    } else {
        sizes = ctx.ints("split_sizes");
    }
    std::vector<TensorType> out;
    for (int64_t s : sizes) {
        Shape shape = x.shape;
        shape[axis] = s;
        out.push_back(TensorType{x.dtype, shape});
    }
    return out;
}

TensorType inferStack(const InferContext& ctx) {
    const size_t n = ctx.listSize("values");
    if (n == 0) ctx.fail("stack needs at least one value");
    const TensorType& first = ctx.listValue("values", 0).type;
    Shape ref = first.shape;
    for (size_t i = 0; i < n; ++i)
        if (ctx.listValue("values", i).type.isStatic()) { ref = ctx.listValue("values", i).type.shape; break; }
    for (size_t i = 0; i < n; ++i) {
        const TensorType& t = ctx.listValue("values", i).type;
        bool compatible = t.shape.size() == ref.size();
        for (size_t d = 0; compatible && d < ref.size(); ++d)
            compatible = !known(t.shape[d]) || !known(ref[d]) || t.shape[d] == ref[d];
        if (!compatible) ctx.fail("all values must have the same shape (" + first.toString() + " vs " + t.toString() + ")");
        if (t.dtype != first.dtype) ctx.fail("all values must have the same dtype");
    }
    const int64_t rank = first.rank();
    int64_t axis = ctx.intValue("axis");
    if (axis < 0) axis += rank + 1;
    if (axis < 0 || axis > rank) ctx.fail("axis " + std::to_string(ctx.intValue("axis")) + " is out of range");
    Shape out = ref;
    out.insert(out.begin() + axis, static_cast<int64_t>(n));
    return TensorType{first.dtype, out};
}

TensorType inferTile(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (!ctx.isConst("reps")) return TensorType{x.dtype, Shape(x.shape.size(), kUnknownDim)};
    const std::vector<int64_t> reps = ctx.ints("reps");
    if (reps.empty() || static_cast<int64_t>(reps.size()) != x.rank())
        ctx.fail("reps must have one entry per dimension of x (rank " + std::to_string(x.rank()) + ")");
    Shape out;
    for (size_t i = 0; i < reps.size(); ++i) {
        if (reps[i] <= 0) ctx.fail("reps must be positive");
        out.push_back(!known(x.shape[i]) ? (reps[i] == 1 ? x.shape[i] : kUnknownDim) : reps[i] * x.shape[i]);
    }
    return TensorType{x.dtype, out};
}

DType fillValueType(const InferContext& ctx) { return ctx.has("value") ? ctx.type("value").dtype : DType::Float32; }

TensorType inferFill(const InferContext& ctx) {
    const TensorType& s = ctx.type("shape");
    if (s.rank() != 1) ctx.fail("shape must be a 1-D tensor");
    if (!ctx.isConst("shape")) {
        if (!known(s.shape[0])) ctx.fail("the length of a run-time shape must be known");
        Shape out(static_cast<size_t>(s.shape[0]), kUnknownDim);
        if (const auto partial = partialIntValues(ctx.value("shape")); partial && partial->size() == out.size())
            for (size_t i = 0; i < out.size(); ++i)
                if ((*partial)[i] > 0) out[i] = (*partial)[i];
        return TensorType{fillValueType(ctx), out};
    }
    return TensorType{fillValueType(ctx), ctx.ints("shape")};
}

TensorType inferRange(const InferContext& ctx) {
    const DType t = ctx.type("start").dtype;
    if (ctx.type("end").dtype != t || ctx.type("step").dtype != t) ctx.fail("start, end and step must have the same dtype");
    if (ctx.isConst("start") && ctx.isConst("end") && ctx.isConst("step")) {
        const double start = ctx.floatValue("start"), end = ctx.floatValue("end"), step = ctx.floatValue("step");
        if (step == 0) ctx.fail("step may not be 0");
        return TensorType{t, {static_cast<int64_t>(std::ceil((end - start) / step))}};
    }
    return TensorType{t, {kUnknownDim}};
}

TensorType inferSelect(const InferContext& ctx) {
    const TensorType& a = ctx.type("a");
    const TensorType& b = ctx.type("b");
    if (a.dtype != b.dtype) ctx.fail("a (" + dtypeName(a.dtype) + ") and b (" + dtypeName(b.dtype) + ") must have the same dtype");
    return TensorType{a.dtype, broadcastShapes(ctx, a.shape, b.shape)};
}

// values and int32 indices of the k largest (or smallest) elements along an axis; iOS16's
// return_indices=false drops the indices output.
std::vector<TensorType> inferTopk(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const int64_t axis = ctx.axis(ctx.intOr("axis", -1), x.rank());
    const int64_t k = ctx.intOr("k", 1);
    if (k <= 0) ctx.fail("k must be positive, got " + std::to_string(k));
    if (known(x.shape[axis]) && k > x.shape[axis])
        ctx.fail("k (" + std::to_string(k) + ") is larger than the axis (" + std::to_string(x.shape[axis]) + ")");
    Shape out = x.shape;
    out[axis] = k;
    std::vector<TensorType> types = {TensorType{x.dtype, out}};
    if (ctx.boolOr("return_indices", true)) types.push_back(TensorType{DType::Int32, out});
    return types;
}

// non_maximum_suppression: iOS15 takes boxes [n, B, 4] and scores [n, B, K] and returns boxes, scores,
// indices padded to max_boxes plus the count per batch; iOS17 puts B last ([n, 4, B], [n, K, B]) and
// drops the count.
std::vector<TensorType> inferNonMaximumSuppression(const InferContext& ctx, bool boxesLast) {
    const TensorType& boxes = ctx.type("boxes");
    const TensorType& scores = ctx.type("scores");
    if (boxes.rank() != 3 || scores.rank() != 3)
        ctx.fail("boxes and scores must be 3-D, got " + boxes.toString() + " and " + scores.toString());
    if (boxes.dtype != scores.dtype || ctx.type("iou_threshold").dtype != boxes.dtype)
        ctx.fail("boxes, scores and iou_threshold must have the same dtype");
    if (ctx.has("score_threshold") && ctx.type("score_threshold").dtype != boxes.dtype)
        ctx.fail("score_threshold must have the dtype of boxes");
    const int64_t coordAxis = boxesLast ? 1 : 2, boxAxis = boxesLast ? 2 : 1, classAxis = boxesLast ? 1 : 2;
    if (known(boxes.shape[coordAxis]) && boxes.shape[coordAxis] != 4)
        ctx.fail("boxes need 4 coordinates (center x, center y, width, height), got " + boxes.toString());
    for (int64_t d : {int64_t{0}, boxAxis})
        if (known(boxes.shape[d]) && known(scores.shape[d]) && boxes.shape[d] != scores.shape[d])
            ctx.fail("boxes " + boxes.toString() + " and scores " + scores.toString() +
                     " disagree on the batch or box count");
    const int64_t maxBoxes = ctx.intValue("max_boxes");
    if (maxBoxes <= 0) ctx.fail("max_boxes must be positive, got " + std::to_string(maxBoxes));
    const int64_t n = known(boxes.shape[0]) ? boxes.shape[0] : scores.shape[0];
    const int64_t k = scores.shape[classAxis];
    std::vector<TensorType> out;
    if (boxesLast) {
        out = {TensorType{boxes.dtype, {n, 4, maxBoxes}}, TensorType{scores.dtype, {n, k, maxBoxes}},
               TensorType{DType::Int32, {n, maxBoxes}}};
    } else {
        out = {TensorType{boxes.dtype, {n, maxBoxes, 4}}, TensorType{scores.dtype, {n, maxBoxes, k}},
               TensorType{DType::Int32, {n, maxBoxes}}, TensorType{DType::Int32, {n}}};
    }
    return out;
}

void declare(OpRegistry& r, const std::string& name, Target since, std::vector<InputDecl> inputs,
             std::function<TensorType(const InferContext&)> infer, const std::string& summary) {
    r.add({name, since, std::move(inputs),
           [infer = std::move(infer)](const InferContext& ctx) { return std::vector<TensorType>{infer(ctx)}; }, summary});
}
}  // namespace

void registerTensorOperationOps(OpRegistry& r) {
    declare(r, "concat", Target::iOS15,
            {{"values", false, true, false, kElems}, {"axis", false, false, true, {DType::Int32}},
             {"interleave", true, false, true, {DType::Bool}}},
            inferConcat, "joins tensors along an existing axis");
    r.add({"split", Target::iOS15,
           {{"x", false, false, false, kElems}, {"num_splits", true, false, true, {DType::Int32}},
            {"split_sizes", true, false, true, {DType::Int32}}, {"axis", false, false, true, {DType::Int32}}},
           inferSplit, "cuts a tensor into pieces along an axis"});
    declare(r, "stack", Target::iOS15, {{"values", false, true, false, kElems}, {"axis", false, false, true, {DType::Int32}}},
            inferStack, "joins same-shaped tensors along a new axis");
    declare(r, "tile", Target::iOS15, {{"x", false, false, false, kElems}, {"reps", false, false, false, {DType::Int32}}},
            inferTile, "repeats a tensor along each dimension");
    declare(r, "fill", Target::iOS15,
            {{"shape", false, false, false, {DType::Int32}}, {"value", true, false, true, kElems}}, inferFill,
            "a tensor of the given shape filled with one value");
    declare(r, "fill_like", Target::iOS16,
            {{"ref_tensor", false, false, false, kElems}, {"value", true, false, true, kElems}},
            [](const InferContext& ctx) { return TensorType{fillValueType(ctx), ctx.type("ref_tensor").shape}; },
            "a tensor shaped like ref_tensor filled with one value");
    declare(r, "range_1d", Target::iOS15,
            {{"end", false, false, false, kNumeric}, {"start", false, false, false, kNumeric},
             {"step", false, false, false, kNumeric}},
            inferRange, "start, start+step, ... up to (not including) end");
    declare(r, "shape", Target::iOS15, {{"x", false, false, false, kElems}},
            [](const InferContext& ctx) { return TensorType{DType::Int32, {ctx.type("x").rank()}}; },
            "the shape of x as an int32 vector");
    declare(r, "identity", Target::iOS15, {{"x", false, false, false, {}}},
            [](const InferContext& ctx) { return ctx.type("x"); }, "x unchanged");
    declare(r, "select", Target::iOS15,
            {{"cond", false, false, false, {DType::Bool}}, {"a", false, false, false, kElems},
             {"b", false, false, false, kElems}},
            inferSelect, "a where cond is true, else b");
    declare(r, "band_part", Target::iOS15,
            {{"x", false, false, false, kElems}, {"lower", true, false, true, {DType::Int32}},
             {"upper", true, false, true, {DType::Int32}}},
            [](const InferContext& ctx) {
                if (ctx.type("x").rank() < 2) ctx.fail("x must have rank 2 or more, got " + ctx.type("x").toString());
                return ctx.type("x");
            },
            "x with everything outside a band around the diagonal of its last two dimensions set to 0");
    declare(r, "cumsum", Target::iOS15,
            {{"x", false, false, false, kNumeric}, {"axis", true, false, true, {DType::Int32}},
             {"exclusive", true, false, true, {DType::Bool}}, {"reverse", true, false, true, {DType::Bool}}},
            [](const InferContext& ctx) {
                // Core ML accepts -1 but no other negative axis.
                const int64_t axis = ctx.intOr("axis", 0), rank = ctx.type("x").rank();
                if (axis < -1 || axis > rank - 1)
                    ctx.fail("axis must be in [-1, " + std::to_string(rank - 1) + "], got " + std::to_string(axis));
                return ctx.type("x");
            },
            "running sum of x along an axis");
    const InputDecl sortX{"x", false, false, false, kNumeric};
    const InputDecl axis{"axis", true, false, true, {DType::Int32}};
    const InputDecl ascending{"ascending", true, false, true, {DType::Bool}};
    const InputDecl k{"k", true, false, true, {DType::Int32}};
    r.add({"topk", Target::iOS15, {sortX, k, axis, ascending}, inferTopk,
           "the k largest (or smallest) elements along an axis and their indices"});
    r.add({"topk", Target::iOS16,
           {sortX, k, axis, ascending, {"sort", true, false, true, {DType::Bool}},
            {"return_indices", true, false, true, {DType::Bool}}},
           inferTopk, "the k largest (or smallest) elements along an axis and their indices"});
    declare(r, "argsort", Target::iOS15, {sortX, axis, ascending},
            [](const InferContext& ctx) {
                ctx.axis(ctx.intOr("axis", -1), ctx.type("x").rank());
                return TensorType{DType::Int32, ctx.type("x").shape};
            },
            "the indices that sort x along an axis (descending by default)");
    const std::vector<DType> kFloats = {DType::Float16, DType::Float32};
    const InputDecl nmsBoxes{"boxes", false, false, false, kFloats};
    const InputDecl nmsScores{"scores", false, false, false, kFloats};
    const InputDecl iouThreshold{"iou_threshold", false, false, true, kFloats};
    const InputDecl maxBoxes{"max_boxes", false, false, true, {DType::Int32}};
    const InputDecl perClass{"per_class_suppression", true, false, true, {DType::Bool}};
    r.add({"non_maximum_suppression", Target::iOS15,
           {nmsBoxes, nmsScores, iouThreshold, {"score_threshold", false, false, true, kFloats}, maxBoxes, perClass},
           [](const InferContext& ctx) { return inferNonMaximumSuppression(ctx, false); },
           "keeps the highest-scoring boxes, dropping those overlapping a kept one by more than iou_threshold"});
    r.add({"non_maximum_suppression", Target::iOS17, {nmsBoxes, nmsScores, iouThreshold, maxBoxes, perClass},
           [](const InferContext& ctx) { return inferNonMaximumSuppression(ctx, true); },
           "keeps the highest-scoring boxes, dropping those overlapping a kept one by more than iou_threshold"});
}

}  // namespace cms::mil
