// Compressed-weight (constexpr_*) ops: decoded once when the interpreter prepares the program.
// iOS16 forms take packed byte streams plus a shape; iOS18 forms take typed (sub-byte) tensors,
// block-wise scales and vector look-up tables. Formulas from Core ML's op definitions.
#include <cmath>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

std::vector<int64_t> values(const at::Tensor& t) {
    const at::Tensor l = t.to(at::kLong).contiguous();
    return std::vector<int64_t>(l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel());
}

// `count` fields of `bits` bits each, packed least significant bit first across a byte stream.
std::vector<int64_t> unpackBits(const KernelContext& c, const std::vector<int64_t>& bytes, int bits, int64_t count) {
    if (static_cast<int64_t>(bytes.size()) * 8 < count * bits)
        c.fail("the packed data holds " + std::to_string(bytes.size()) + " bytes, too few for " + std::to_string(count) +
               " values of " + std::to_string(bits) + " bits");
    std::vector<int64_t> out(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        int64_t v = 0;
        for (int b = 0; b < bits; ++b) {
            const int64_t bit = i * bits + b;
            v |= ((bytes[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1) << b;
        }
        out[static_cast<size_t>(i)] = v;
    }
    return out;
}

int64_t product(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

// Broadcast a scalar or per-axis vector parameter against data of rank `rank` along `axis`.
at::Tensor alongAxis(const at::Tensor& p, int64_t rank, int64_t axis) {
    if (p.dim() == 0) return p;
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    shape[static_cast<size_t>(axis)] = p.numel();
    return p.reshape(shape);
}

// output = scale * (quantized_data - zero_point), scale/zero_point scalars or vectors along axis.
Tensors affineDequantize(const KernelContext& c) {
    const at::Tensor q = c.in("quantized_data").to(at::kFloat);
    const int64_t axis = c.axis(c.intValue("axis"), q.dim());
    const at::Tensor zp = alongAxis(c.in("zero_point").to(at::kFloat), q.dim(), axis);
    const at::Tensor scale = alongAxis(c.in("scale").to(at::kFloat), q.dim(), axis);
    return {at::mul(at::sub(q, zp), scale)};
}

Tensors constexprCast(const KernelContext& c) { return {c.in("source_val")}; }

// Repeats each element of a block-grid tensor so it covers `shape` (block size = shape / grid).
at::Tensor expandBlocks(const KernelContext& c, at::Tensor grid, const std::vector<int64_t>& shape, const char* what) {
    if (grid.dim() != static_cast<int64_t>(shape.size())) c.fail(std::string(what) + " must have the rank of the data");
    for (int64_t d = 0; d < grid.dim(); ++d) {
        const int64_t g = grid.size(d), n = shape[static_cast<size_t>(d)];
        if (g == 0 || n % g != 0)
            c.fail(std::string(what) + " dimension " + std::to_string(d) + " (" + std::to_string(g) +
                   ") does not divide the data dimension (" + std::to_string(n) + ")");
        if (g != n) grid = grid.repeat_interleave(n / g, d);
    }
    return grid;
}

// output = scale * (data - offset), with one scale (and offset) per block.
Tensors blockwiseShiftScale(const KernelContext& c) {
    const at::Tensor data = c.in("data").to(at::kFloat);
    const std::vector<int64_t> shape = data.sizes().vec();
    at::Tensor shifted = data;
    if (c.has("offset")) shifted = at::sub(data, expandBlocks(c, c.in("offset").to(at::kFloat), shape, "offset"));
    return {at::mul(shifted, expandBlocks(c, c.in("scale").to(at::kFloat), shape, "scale"))};
}

// For typed indices [d0..dk) and lut [g0..gk, palette, vector]: each index reads the table of its
// block (block size = index dim / grid dim). Returns [d0..dk, vector].
at::Tensor lookUp(const KernelContext& c, const at::Tensor& indices, const at::Tensor& lut) {
    const int64_t rank = indices.dim();
    if (lut.dim() != rank + 2) c.fail("lut must have two more dimensions than the indices");
    const int64_t palette = lut.size(-2), vector = lut.size(-1);
    // Table number of every element: row-major position of its block in the lut grid.
    at::Tensor table = at::zeros(indices.sizes(), at::kLong);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
        const int64_t g = lut.size(d), n = indices.size(d);
        if (g == 0 || n % g != 0)
            c.fail("lut dimension " + std::to_string(d) + " (" + std::to_string(g) + ") does not divide the indices "
                   "dimension (" + std::to_string(n) + ")");
        std::vector<int64_t> view(static_cast<size_t>(rank), 1);
        view[static_cast<size_t>(d)] = n;
        table = at::add(table, at::mul(at::div(at::arange(n, at::kLong), n / g, "floor"), stride).reshape(view));
        stride *= g;
    }
    const at::Tensor idx = indices.to(at::kLong);
    if (idx.numel() && (idx.min().item<int64_t>() < 0 || idx.max().item<int64_t>() >= palette))
        c.fail("an index is outside the look-up table");
    const at::Tensor rows = at::add(at::mul(table, palette), idx).reshape({-1});
    std::vector<int64_t> shape = indices.sizes().vec();
    shape.push_back(vector);
    return lut.reshape({-1, vector}).index_select(0, rows).reshape(shape);
}

// Places each looked-up vector along vector_axis: [d0..dk, vector] -> dk... with d[axis] * vector.
at::Tensor spreadVectors(const KernelContext& c, at::Tensor picked, int64_t vector) {
    if (vector == 1) return picked.squeeze(-1);
    if (!c.has("vector_axis")) c.fail("vector_axis is required when the lut holds vectors");
    const int64_t rank = picked.dim() - 1;
    const int64_t axis = c.axis(c.intValue("vector_axis"), rank);
    std::vector<int64_t> shape(picked.sizes().begin(), picked.sizes().end() - 1);
    shape[static_cast<size_t>(axis)] *= vector;
    return picked.movedim(-1, axis + 1).reshape(shape);
}

// iOS16: indices are a uint8 byte stream of log2(|lut|)-bit fields; iOS18: typed indices with
// per-block tables lut[grid..., palette, vector] and optional vector expansion along vector_axis.
Tensors lutToDense(const KernelContext& c) {
    const at::Tensor& lut = c.in("lut");
    if (c.has("shape")) {
        const std::vector<int64_t> shape = c.ints("shape");
        const int64_t palette = lut.numel();
        const int bits = static_cast<int>(std::lround(std::log2(static_cast<double>(palette))));
        if (lut.dim() != 1 || (int64_t(1) << bits) != palette) c.fail("lut must be a vector of 2, 4, 16, 64 or 256 entries");
        const std::vector<int64_t> idx = unpackBits(c, values(c.in("indices")), bits, product(shape));
        const at::Tensor i = at::tensor(at::ArrayRef<int64_t>(idx), at::kLong);
        return {lut.index_select(0, i).reshape(shape)};
    }
    return {spreadVectors(c, lookUp(c, c.in("indices"), lut), lut.size(-1))};
}

// Scatters nonzero_data into a zero tensor where the mask is set, in row-major order.
at::Tensor scatterNonzero(const KernelContext& c, const at::Tensor& data, const std::vector<int64_t>& mask,
                          const std::vector<int64_t>& shape) {
    std::vector<int64_t> positions;
    for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) positions.push_back(static_cast<int64_t>(i));
    if (static_cast<int64_t>(positions.size()) != data.numel())
        c.fail("the mask sets " + std::to_string(positions.size()) + " elements but nonzero_data holds " +
               std::to_string(data.numel()));
    at::Tensor out = at::zeros({product(shape)}, data.options());
    out.index_put_({at::tensor(at::ArrayRef<int64_t>(positions), at::kLong)}, data.reshape({-1}));
    return out.reshape(shape);
}

// iOS16: mask is a uint8 bit stream plus a shape; iOS18: mask is a uint1 tensor of the output shape.
Tensors sparseToDense(const KernelContext& c) {
    const at::Tensor& data = c.in("nonzero_data");
    if (c.has("shape")) {
        const std::vector<int64_t> shape = c.ints("shape");
        return {scatterNonzero(c, data, unpackBits(c, values(c.in("mask")), 1, product(shape)), shape)};
    }
    const at::Tensor& mask = c.in("mask");
    return {scatterNonzero(c, data, values(mask), mask.sizes().vec())};
}

// Sparse-to-sparse forms: the (possibly expanded) mask and the decoded nonzero values.
Tensors lutToSparse(const KernelContext& c) {
    const at::Tensor& mask = c.in("indices_mask");
    const at::Tensor& lut = c.in("lut");
    const at::Tensor denseIndices = scatterNonzero(c, c.in("indices_nonzero_data"), values(mask), mask.sizes().vec());
    // Decode densely over the scattered indices, then keep the (expanded) masked positions.
    const int64_t vector = lut.size(-1);
    const at::Tensor decoded = spreadVectors(c, lookUp(c, denseIndices, lut), vector);
    at::Tensor outMask = mask;
    if (vector > 1) outMask = mask.repeat_interleave(vector, c.axis(c.intValue("vector_axis"), mask.dim()));
    return {outMask, decoded.masked_select(outMask.to(at::kBool))};
}

Tensors sparseBlockwiseShiftScale(const KernelContext& c) {
    const at::Tensor& mask = c.in("data_mask");
    const at::Tensor dense = scatterNonzero(c, c.in("nonzero_data").to(at::kFloat), values(mask), mask.sizes().vec());
    const std::vector<int64_t> shape = dense.sizes().vec();
    at::Tensor shifted = dense;
    if (c.has("offset")) shifted = at::sub(dense, expandBlocks(c, c.in("offset").to(at::kFloat), shape, "offset"));
    const at::Tensor scaled = at::mul(shifted, expandBlocks(c, c.in("scale").to(at::kFloat), shape, "scale"));
    return {mask, scaled.masked_select(mask.to(at::kBool))};
}
}  // namespace

void registerConstexprKernels(KernelTable& t) {
    t["constexpr_affine_dequantize"] = affineDequantize;
    t["constexpr_cast"] = constexprCast;
    t["constexpr_blockwise_shift_scale"] = blockwiseShiftScale;
    t["constexpr_lut_to_dense"] = lutToDense;
    t["constexpr_sparse_to_dense"] = sparseToDense;
    t["constexpr_lut_to_sparse"] = lutToSparse;
    t["constexpr_sparse_blockwise_shift_scale"] = sparseBlockwiseShiftScale;
}

}  // namespace cms::runtime
