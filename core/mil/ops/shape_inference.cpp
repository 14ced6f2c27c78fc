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

namespace {

std::optional<std::vector<int64_t>> constInts(const Value& v) {
    if (!v.isConst() || v.type.rank() > 1) return std::nullopt;
    const Tensor& t = *v.constValue;
    if (t.dtype() != DType::Int32 && t.dtype() != DType::Int64) return std::nullopt;
    return t.toInts();
}

// Length of a rank-<=1 value, when its type says.
std::optional<size_t> lengthOf(const Value& v) {
    if (v.type.rank() == 0) return 1;
    if (v.type.rank() == 1 && v.type.shape[0] != kUnknownDim) return static_cast<size_t>(v.type.shape[0]);
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<int64_t>> partialIntValues(const Value& v) {
    if (auto c = constInts(v)) return c;
    const std::optional<size_t> length = lengthOf(v);
    if (!length) return std::nullopt;
    std::vector<int64_t> unknown(*length, kUnknownDim);
    const Operation* op = v.producer;
    if (!op || op->outputs.size() != 1) return unknown;
    const auto single = [&](const char* name) { return op->input(name); };
    if (op->type == "shape") {
        if (const Value* x = single("x")) return Shape(x->type.shape);
    } else if (op->type == "cast" || op->type == "identity" || op->type == "squeeze" || op->type == "expand_dims" ||
               op->type == "reshape") {
        // Rank changes between 0 and 1 keep the one element.
        if (const Value* x = single("x"))
            if (auto inner = partialIntValues(*x); inner && inner->size() == *length) return inner;
    } else if (op->type == "gather") {
        const Value* x = single("x");
        const Value* indices = single("indices");
        const std::optional<std::vector<int64_t>> axis = op->input("axis") ? constInts(*op->input("axis")) : std::vector<int64_t>{0};
        if (x && indices && axis && axis->size() == 1 && (*axis)[0] == 0 && x->type.rank() == 1)
            if (auto from = partialIntValues(*x))
                if (auto idx = constInts(*indices); idx && idx->size() == *length) {
                    std::vector<int64_t> out;
                    for (int64_t i : *idx) {
                        if (i < 0) i += static_cast<int64_t>(from->size());
                        if (i < 0 || i >= static_cast<int64_t>(from->size())) return unknown;
                        out.push_back((*from)[static_cast<size_t>(i)]);
                    }
                    return out;
                }
    } else if (op->type == "concat") {
        const std::vector<Value*>* values = op->inputList("values");
        if (values) {
            std::vector<int64_t> out;
            for (const Value* piece : *values) {
                const std::optional<std::vector<int64_t>> p = partialIntValues(*piece);
                if (!p) return unknown;
                out.insert(out.end(), p->begin(), p->end());
            }
            if (out.size() == *length) return out;
        }
    } else if (op->type == "mul" || op->type == "add" || op->type == "sub" || op->type == "floor_div") {
        // Scalar arithmetic on sizes, folded when both sides are known.
        const Value* x = single("x");
        const Value* y = single("y");
        if (x && y && *length == 1) {
            const auto a = partialIntValues(*x), b = partialIntValues(*y);
            if (a && b && a->size() == 1 && b->size() == 1 && (*a)[0] >= 0 && (*b)[0] >= 0) {
                const int64_t l = (*a)[0], r = (*b)[0];
                if (op->type == "mul") return std::vector<int64_t>{l * r};
                if (op->type == "add") return std::vector<int64_t>{l + r};
                if (op->type == "sub") return std::vector<int64_t>{l - r};
                if (r != 0) return std::vector<int64_t>{l / r};
            }
        }
    }
    return unknown;
}

}  // namespace cms::mil
