#include "lower/translators/index_utils.h"

#include <algorithm>
#include <numeric>

#include "lower/constant_values.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

mil::Value* castValue(LowerContext& ctx, mil::Value* x, DType dtype, const std::string& name) {
    if (x->type.dtype == dtype) return x;
    mil::Builder& b = ctx.builder();
    return b.add1("cast", {{"x", {x}}, {"dtype", {b.constString(dtypeName(dtype), name + "_dtype")}}}, name);
}

mil::Value* sliceRange(LowerContext& ctx, mil::Value* x, int64_t dim, int64_t begin, int64_t end, const std::string& name) {
    const int64_t rank = x->type.rank();
    if (begin == 0 && end == x->type.shape[static_cast<size_t>(dim)]) return x;
    std::vector<int64_t> b(static_cast<size_t>(rank), 0), size(static_cast<size_t>(rank), -1);
    b[static_cast<size_t>(dim)] = begin;
    size[static_cast<size_t>(dim)] = end - begin;
    mil::Builder& bld = ctx.builder();
    return bld.add1("slice_by_size", {{"x", {x}}, {"begin", {bld.constInts(b, name + "_begin")}}, {"size", {bld.constInts(size, name + "_size")}}},
                    name);
}

Shape broadcastShape(const LowerContext& ctx, const std::vector<Shape>& shapes) {
    size_t rank = 0;
    for (const Shape& s : shapes) rank = std::max(rank, s.size());
    Shape out(rank, 1);
    for (const Shape& s : shapes) {
        for (size_t i = 0; i < s.size(); ++i) {
            int64_t& o = out[rank - s.size() + i];
            const int64_t d = s[i];
            if (d == mil::kUnknownDim || o == mil::kUnknownDim)
                ctx.fail("broadcasting needs fixed shapes, got " + shapeToString(s), "give the inputs fixed shapes");
            if (d == o || d == 1) continue;
            if (o != 1) ctx.fail("shapes " + shapeToString(s) + " and " + shapeToString(out) + " do not broadcast");
            o = d;
        }
    }
    return out;
}

mil::Value* broadcastTo(LowerContext& ctx, mil::Value* x, const Shape& shape, const std::string& name) {
    if (x->type.shape == shape) return x;
    const Shape common = broadcastShape(ctx, {x->type.shape, shape});
    if (common != shape)
        ctx.fail("a tensor of shape " + shapeToString(x->type.shape) + " cannot be broadcast to " + shapeToString(shape));
    Shape padded(shape.size() - x->type.shape.size(), 1);
    padded.insert(padded.end(), x->type.shape.begin(), x->type.shape.end());
    x = reshapeTo(ctx, x, padded, name + "_rank");
    Shape reps;
    for (size_t i = 0; i < shape.size(); ++i) reps.push_back(padded[i] == shape[i] ? 1 : shape[i]);
    if (std::all_of(reps.begin(), reps.end(), [](int64_t r) { return r == 1; })) return x;
    mil::Builder& b = ctx.builder();
    return b.add1("tile", {{"x", {x}}, {"reps", {b.constInts(reps, name + "_reps")}}}, name);
}

mil::Value* permuted(LowerContext& ctx, mil::Value* x, const std::vector<int64_t>& perm, const std::string& name) {
    std::vector<int64_t> identity(perm.size());
    std::iota(identity.begin(), identity.end(), 0);
    if (perm == identity) return x;
    mil::Builder& b = ctx.builder();
    return b.add1("transpose", {{"x", {x}}, {"perm", {b.constInts(perm, name + "_perm")}}}, name);
}

namespace {

// Run-time indices may be negative: count those from the end (Core ML from iOS17 rejects them).
mil::Value* wrapNegative(LowerContext& ctx, mil::Value* idx, int64_t size, const std::string& name) {
    mil::Builder& b = ctx.builder();
    mil::Value* zero = b.constInt(0, name + "_zero");
    mil::Value* negative = b.add1("less", {{"x", {idx}}, {"y", {zero}}}, name + "_negative");
    mil::Value* wrapped = b.add1("add", {{"x", {idx}}, {"y", {b.constInt(size, name + "_size")}}}, name + "_wrapped");
    return b.add1("select", {{"cond", {negative}}, {"a", {wrapped}}, {"b", {idx}}}, name);
}

}  // namespace

std::vector<AdvancedIndex> advancedIndices(LowerContext& ctx, const ir::Value* list, const Shape& xShape, const std::string& name) {
    std::vector<AdvancedIndex> out;
    int64_t dim = 0;
    const int64_t rank = static_cast<int64_t>(xShape.size());
    int n = 0;
    for (const Lowered& item : elementsOf(ctx, list)) {
        const std::string itemName = name + "_index" + std::to_string(n++);
        if (!item.tensor && item.constant && std::holds_alternative<ir::NoneValue>(*item.constant)) {
            ++dim;
            continue;
        }
        std::optional<Tensor> constant = !item.tensor && item.constant ? tensorOf(*item.constant) : std::nullopt;
        if (!item.tensor && !constant) ctx.fail("index entries must be tensors or None");
        const DType dtype = item.tensor ? item.tensor->type.dtype : constant->dtype();
        const Shape shape = item.tensor ? item.tensor->type.shape : constant->shape();
        if (isFloat(dtype)) ctx.fail("tensors used as indices must be integer or bool, got " + dtypeName(dtype));
        if (dtype == DType::Bool) {
            // A mask over dims [dim, dim + r): its true positions, one index tensor per masked dim.
            const int64_t r = static_cast<int64_t>(shape.size());
            if (dim + r > rank) ctx.fail("the boolean index has more dimensions than the indexed tensor " + shapeToString(xShape));
            for (int64_t i = 0; i < r; ++i)
                if (shape[static_cast<size_t>(i)] != xShape[static_cast<size_t>(dim + i)])
                    ctx.fail("the boolean index of shape " + shapeToString(shape) + " does not match the indexed dimensions of " +
                             shapeToString(xShape));
            if (!constant)
                ctx.fail("indexing with a boolean mask computed at run time gives a result whose size depends on the data; "
                         "Core ML needs static shapes",
                         "use torch.where(mask, x, other) or masked_fill instead of x[mask], or make the mask a constant");
            const std::vector<int64_t> flags = constant->toInts();
            std::vector<std::vector<int64_t>> coords(static_cast<size_t>(r));
            for (int64_t flat = 0; flat < static_cast<int64_t>(flags.size()); ++flat) {
                if (!flags[static_cast<size_t>(flat)]) continue;
                int64_t rest = flat;
                for (int64_t i = r - 1; i >= 0; --i) {
                    const int64_t size = shape[static_cast<size_t>(i)];
                    coords[static_cast<size_t>(i)].push_back(rest % size);
                    rest /= size;
                }
            }
            if (r == 0 || coords[0].empty())
                ctx.fail("the boolean index selects no element; Core ML has no empty tensors");
            const int64_t count = static_cast<int64_t>(coords[0].size());
            for (int64_t i = 0; i < r; ++i) {
                const std::vector<int64_t>& c = coords[static_cast<size_t>(i)];
                out.push_back({dim + i, ctx.builder().constant(Tensor::fromInts(c, {count}), itemName + "_" + std::to_string(i)), {count}});
            }
            dim += r;
            continue;
        }
        if (dim >= rank) ctx.fail("too many indices for a tensor of shape " + shapeToString(xShape));
        const int64_t size = xShape[static_cast<size_t>(dim)];
        mil::Value* idx = nullptr;
        if (constant) {
            std::vector<int64_t> values = constant->toInts();
            for (int64_t& v : values) {
                if (size != mil::kUnknownDim && (v < -size || v >= size))
                    ctx.fail("index " + std::to_string(v) + " is out of range for a dimension of " + std::to_string(size));
                if (v < 0) v += size;
            }
            idx = ctx.builder().constant(Tensor::fromInts(values, shape), itemName);
        } else {
            if (size == mil::kUnknownDim) ctx.fail("indexing a dimension only known at run time is not supported", "give the input a fixed shape");
            idx = wrapNegative(ctx, castValue(ctx, item.tensor, DType::Int32, itemName + "_int"), size, itemName);
        }
        out.push_back({dim, idx, shape});
        ++dim;
    }
    if (dim > rank) ctx.fail("too many indices for a tensor of shape " + shapeToString(xShape));
    if (out.empty()) ctx.fail("the index list holds no tensor");
    return out;
}

IndexLayout indexLayout(LowerContext& ctx, const std::vector<AdvancedIndex>& indices, const Shape& xShape, const std::string& name) {
    IndexLayout l;
    const int64_t rank = static_cast<int64_t>(xShape.size());
    std::vector<Shape> shapes;
    std::vector<int64_t> dims;
    for (const AdvancedIndex& i : indices) {
        shapes.push_back(i.shape);
        dims.push_back(i.dim);
    }
    l.broadcast = broadcastShape(ctx, shapes);
    l.perm = dims;
    for (int64_t d = 0; d < rank; ++d)
        if (std::find(dims.begin(), dims.end(), d) == dims.end()) l.perm.push_back(d);
    bool adjacent = true;
    for (size_t i = 1; i < dims.size(); ++i) adjacent = adjacent && dims[i] == dims[i - 1] + 1;
    l.resultPosition = adjacent ? dims.front() : 0;
    // torch's result: the non-indexed dims in order, with the broadcast dims inserted at resultPosition.
    Shape rest;
    for (size_t i = dims.size(); i < l.perm.size(); ++i) rest.push_back(xShape[static_cast<size_t>(l.perm[i])]);
    l.resultShape.assign(rest.begin(), rest.begin() + l.resultPosition);
    l.resultShape.insert(l.resultShape.end(), l.broadcast.begin(), l.broadcast.end());
    l.resultShape.insert(l.resultShape.end(), rest.begin() + l.resultPosition, rest.end());

    std::vector<mil::Value*> columns;
    for (size_t i = 0; i < indices.size(); ++i)
        columns.push_back(broadcastTo(ctx, indices[i].indices, l.broadcast, name + "_bcast" + std::to_string(i)));
    mil::Builder& b = ctx.builder();
    const int64_t axis = static_cast<int64_t>(l.broadcast.size());
    if (columns.size() == 1) {
        l.stacked = b.add1("expand_dims", {{"x", {columns[0]}}, {"axes", {b.constInts({axis}, name + "_axes")}}}, name + "_vectors");
    } else {
        l.stacked = b.add1("stack", {{"values", columns}, {"axis", {b.constInt(axis, name + "_axis")}}}, name + "_vectors");
    }
    return l;
}

std::vector<int64_t> resultPerm(const IndexLayout& layout, int64_t resultRank) {
    // gather_nd gives [broadcast (nb dims), rest (the others)]; torch puts the first resultPosition rest
    // dims before the broadcast dims.
    const int64_t nb = static_cast<int64_t>(layout.broadcast.size());
    std::vector<int64_t> perm;
    for (int64_t i = 0; i < layout.resultPosition; ++i) perm.push_back(nb + i);
    for (int64_t i = 0; i < nb; ++i) perm.push_back(i);
    for (int64_t i = nb + layout.resultPosition; i < resultRank; ++i) perm.push_back(i);
    return perm;
}

}  // namespace cms::lower
