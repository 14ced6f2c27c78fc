// Ops that convert, rearrange, combine or index tensors. Slicing follows numpy's rules (negative
// indices count from the end, bounds are clamped), as Core ML's slice_by_index does.
#include <algorithm>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

// The interpreter converts the result to the declared dtype (truncating floats to integers,
// nonzero to true, fp16 rounding), which is exactly cast's semantics.
Tensors cast(const KernelContext& c) { return {c.in("x")}; }
Tensors identity(const KernelContext& c) { return {c.in("x")}; }

Tensors reshape(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    std::vector<int64_t> to = c.ints("shape");
    if (std::count(to.begin(), to.end(), 0) > 0) {
        // iOS15 copies a 0 from the same position (equal ranks); iOS17 aligns the shapes from the right.
        const bool fromRight = c.target() >= mil::Target::iOS17;
        if (!fromRight && static_cast<int64_t>(to.size()) != x.dim()) c.fail("a 0 in shape needs x of the same rank");
        for (size_t i = 0; i < to.size(); ++i) {
            if (to[i] != 0) continue;
            const int64_t src = fromRight ? x.dim() - static_cast<int64_t>(to.size() - i) : static_cast<int64_t>(i);
            to[i] = src >= 0 ? x.size(src) : 1;
        }
    }
    return {x.reshape(to)};
}

Tensors transpose(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    std::vector<int64_t> perm;
    for (int64_t p : c.ints("perm")) perm.push_back(c.axis(p, x.dim()));
    return {x.permute(perm)};
}

Tensors squeeze(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    std::vector<int64_t> shape;
    std::vector<bool> drop(static_cast<size_t>(x.dim()), false);
    if (c.has("axes")) {
        for (int64_t a : c.ints("axes")) drop[static_cast<size_t>(c.axis(a, x.dim()))] = true;
    } else {
        std::fill(drop.begin(), drop.end(), true);
    }
    for (int64_t d = 0; d < x.dim(); ++d)
        if (!(drop[static_cast<size_t>(d)] && x.size(d) == 1)) shape.push_back(x.size(d));
    return {x.reshape(shape)};
}

Tensors expandDims(const KernelContext& c) {
    at::Tensor x = c.in("x");
    const std::vector<int64_t> axes = c.ints("axes");
    const int64_t outRank = x.dim() + static_cast<int64_t>(axes.size());
    std::vector<int64_t> norm;
    for (int64_t a : axes) norm.push_back(c.axis(a, outRank));
    std::sort(norm.begin(), norm.end());
    for (int64_t a : norm) x = x.unsqueeze(a);
    return {x};
}

Tensors sliceByIndex(const KernelContext& c) {
    at::Tensor x = c.in("x");
    const size_t rank = static_cast<size_t>(x.dim());
    const std::vector<int64_t> begin = c.ints("begin"), end = c.ints("end");
    const std::vector<int64_t> stride = c.intsOr("stride", std::vector<int64_t>(rank, 1));
    const auto mask = [&](const char* name) {
        std::vector<int64_t> m = c.intsOr(name, std::vector<int64_t>(rank, 0));
        if (m.size() != rank) c.fail(std::string(name) + " needs one entry per dimension");
        return m;
    };
    const std::vector<int64_t> beginMask = mask("begin_mask"), endMask = mask("end_mask"), squeezeMask = mask("squeeze_mask");
    if (begin.size() != rank || end.size() != rank || stride.size() != rank)
        c.fail("begin, end and stride need one entry per dimension");
    std::vector<int64_t> squeezeDims;
    for (size_t i = 0; i < rank; ++i) {
        const int64_t d = static_cast<int64_t>(i);
        const int64_t len = x.size(d), s = stride[i];
        if (s == 0) c.fail("stride may not be 0");
        // numpy's slice bounds: negatives count from the end, then clamp to the valid range.
        const auto bound = [&](int64_t v, bool masked, bool isBegin) {
            if (masked) return s > 0 ? (isBegin ? int64_t(0) : len) : (isBegin ? len - 1 : int64_t(-1));
            if (v < 0) v += len;
            return s > 0 ? std::clamp<int64_t>(v, 0, len) : std::clamp<int64_t>(v, -1, len - 1);
        };
        int64_t b = bound(begin[i], beginMask[i] != 0, true);
        int64_t e = bound(end[i], endMask[i] != 0, false);
        if (squeezeMask[i]) {
            e = s > 0 ? b + 1 : b - 1;
            squeezeDims.push_back(d);
        }
        if (s > 0) {
            x = x.slice(d, b, std::max(b, e), s);
        } else {
            const int64_t count = b > e ? (b - e + (-s) - 1) / (-s) : 0;
            x = x.index_select(d, at::arange(b, b + s * count, s, at::kLong).slice(0, 0, count));
        }
    }
    for (auto it = squeezeDims.rbegin(); it != squeezeDims.rend(); ++it) x = x.squeeze(*it);
    return {x};
}

Tensors sliceBySize(const KernelContext& c) {
    at::Tensor x = c.in("x");
    const std::vector<int64_t> begin = c.ints("begin"), size = c.ints("size");
    if (static_cast<int64_t>(begin.size()) != x.dim() || static_cast<int64_t>(size.size()) != x.dim())
        c.fail("begin and size need one entry per dimension");
    for (int64_t d = 0; d < x.dim(); ++d) {
        int64_t b = begin[static_cast<size_t>(d)];
        if (b < 0) b += x.size(d);
        const int64_t n = size[static_cast<size_t>(d)] == -1 ? x.size(d) - b : size[static_cast<size_t>(d)];
        if (b < 0 || n < 0 || b + n > x.size(d)) c.fail("the slice lies outside dimension " + std::to_string(d));
        x = x.narrow(d, b, n);
    }
    return {x};
}

Tensors concat(const KernelContext& c) {
    std::vector<at::Tensor> values = c.list("values");
    for (at::Tensor& v : values)
        if (v.dim() == 0) v = v.reshape({1});
    const int64_t axis = c.axis(c.intValue("axis"), values.front().dim());
    if (!c.boolOr("interleave", false)) return {at::cat(values, axis)};
    // Interleaving takes one slice of each input in turn: stack on a new inner axis and merge.
    std::vector<int64_t> shape = values.front().sizes().vec();
    shape[static_cast<size_t>(axis)] *= static_cast<int64_t>(values.size());
    return {at::stack(values, axis + 1).reshape(shape)};
}

Tensors split(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intValue("axis"), x.dim());
    std::vector<int64_t> sizes;
    if (c.has("split_sizes")) {
        sizes = c.ints("split_sizes");
    } else {
        const int64_t n = c.intValue("num_splits");
        if (n <= 0 || x.size(axis) % n != 0) c.fail("num_splits must divide the split dimension");
        sizes.assign(static_cast<size_t>(n), x.size(axis) / n);
    }
    return at::split_with_sizes(x, sizes, axis);
}

Tensors stack(const KernelContext& c) {
    const std::vector<at::Tensor> values = c.list("values");
    return {at::stack(values, c.axis(c.intValue("axis"), values.front().dim() + 1))};
}

Tensors tile(const KernelContext& c) { return {c.in("x").repeat(c.ints("reps"))}; }

at::Tensor filled(const KernelContext& c, const std::vector<int64_t>& shape) {
    const at::ScalarType st = runtimeScalarType(c.outputType().dtype);
    const at::Tensor value = c.has("value") ? c.in("value").to(st) : at::zeros({}, at::TensorOptions().dtype(st));
    return value.reshape({}).expand(shape).clone();
}
Tensors fill(const KernelContext& c) { return {filled(c, c.ints("shape"))}; }
Tensors fillLike(const KernelContext& c) { return {filled(c, c.in("ref_tensor").sizes().vec())}; }

Tensors range1d(const KernelContext& c) {
    const at::ScalarType st = runtimeScalarType(c.outputType().dtype);
    if (st == at::kFloat)
        return {at::arange(c.floatValue("start"), c.floatValue("end"), c.floatValue("step"), at::kFloat)};
    return {at::arange(c.intValue("start"), c.intValue("end"), c.intValue("step"), at::kLong).to(st)};
}

Tensors shape(const KernelContext& c) {
    const std::vector<int64_t> sizes = c.in("x").sizes().vec();
    return {at::tensor(at::ArrayRef<int64_t>(sizes), at::kLong).to(at::kInt)};
}

Tensors select(const KernelContext& c) {
    return {at::where(c.in("cond").to(at::kBool), c.in("a"), c.in("b"))};
}

at::Tensor gatherOne(const KernelContext& c, const at::Tensor& x, const at::Tensor& indices, int64_t axis) {
    const at::Tensor idx = checkedIndices(c, indices, x.size(axis));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
    for (int64_t s : indices.sizes()) shape.push_back(s);
    shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
    return at::index_select(x, axis, idx.flatten()).reshape(shape);
}

Tensors gather(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& indices = c.in("indices");
    const int64_t axis = c.axis(c.intOr("axis", 0), x.dim());
    const int64_t batchDims = c.intOr("batch_dims", 0);
    if (batchDims == 0) return {gatherOne(c, x, indices, axis)};
    if (axis < batchDims) c.fail("axis must not be one of the batch dimensions");
    // Batched gather: the leading batch_dims dimensions of x and indices are walked together.
    const std::vector<int64_t> batch(x.sizes().begin(), x.sizes().begin() + batchDims);
    int64_t count = 1;
    for (int64_t b : batch) count *= b;
    const at::Tensor xs = x.reshape([&] {
        std::vector<int64_t> s = {count};
        s.insert(s.end(), x.sizes().begin() + batchDims, x.sizes().end());
        return s;
    }());
    const at::Tensor is = indices.reshape([&] {
        std::vector<int64_t> s = {count};
        s.insert(s.end(), indices.sizes().begin() + batchDims, indices.sizes().end());
        return s;
    }());
    std::vector<at::Tensor> parts;
    for (int64_t i = 0; i < count; ++i) parts.push_back(gatherOne(c, xs[i], is[i], axis - batchDims));
    at::Tensor out = at::stack(parts, 0);
    std::vector<int64_t> shape = batch;
    shape.insert(shape.end(), out.sizes().begin() + 1, out.sizes().end());
    return {out.reshape(shape)};
}

Tensors gatherAlongAxis(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intOr("axis", 0), x.dim());
    return {at::gather(x, axis, checkedIndices(c, c.in("indices"), x.size(axis)))};
}

// Keeps the band |row - col| of the last two dimensions: `lower` rows below the diagonal and
// `upper` above it (negative: the whole triangle).
Tensors bandPart(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t lower = c.intOr("lower", -1), upper = c.intOr("upper", -1);
    const int64_t rows = x.size(-2), cols = x.size(-1);
    const at::Tensor r = at::arange(rows, at::kLong).unsqueeze(1);
    const at::Tensor k = at::arange(cols, at::kLong).unsqueeze(0);
    at::Tensor keep = at::ones({rows, cols}, at::kBool);
    if (lower >= 0) keep = keep.logical_and((r - k).le(lower));
    if (upper >= 0) keep = keep.logical_and((k - r).le(upper));
    return {at::where(keep, x, at::zeros({}, x.options()))};
}

Tensors cumsum(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intOr("axis", 0), x.dim());
    const bool reverse = c.boolOr("reverse", false), exclusive = c.boolOr("exclusive", false);
    at::Tensor y = reverse ? x.flip(axis) : x;
    at::Tensor sum = y.cumsum(axis, y.scalar_type());
    // Exclusive: each position holds the sum of the elements before it.
    if (exclusive) sum = sum - y;
    return {reverse ? sum.flip(axis) : sum};
}

Tensors reverse(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    std::vector<int64_t> axes;
    if (c.has("axes"))
        for (int64_t a : c.ints("axes")) axes.push_back(c.axis(a, x.dim()));
    else
        for (int64_t a = 0; a < x.dim(); ++a) axes.push_back(a);
    return {axes.empty() ? x : x.flip(axes)};
}
}  // namespace

void registerTensorKernels(KernelTable& t) {
    t["cast"] = cast;
    t["identity"] = identity;
    t["reshape"] = reshape;
    t["transpose"] = transpose;
    t["squeeze"] = squeeze;
    t["expand_dims"] = expandDims;
    t["slice_by_index"] = sliceByIndex;
    t["slice_by_size"] = sliceBySize;
    t["concat"] = concat;
    t["split"] = split;
    t["stack"] = stack;
    t["tile"] = tile;
    t["fill"] = fill;
    t["fill_like"] = fillLike;
    t["range_1d"] = range1d;
    t["shape"] = shape;
    t["select"] = select;
    t["gather"] = gather;
    t["gather_along_axis"] = gatherAlongAxis;
    t["band_part"] = bandPart;
    t["cumsum"] = cumsum;
    t["reverse"] = reverse;
}

}  // namespace cms::runtime
