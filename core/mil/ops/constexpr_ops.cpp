// Compressed-weight (constexpr_*) ops: decoded to a constant when the model is loaded. iOS16
// takes packed byte streams plus a shape; iOS18 takes typed (sub-byte) tensors with block-wise
// scales, per-block and vector look-up tables, and bit masks shaped like the output. iOS18 inputs
// may come from another constexpr op (sparse then palettized), so there "const" means computed
// from constants only.
#include <cmath>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kLutValues = {DType::Int8, DType::UInt8, DType::Float16, DType::Float32};
const std::vector<DType> kQuantized18 = {DType::Int4, DType::UInt4, DType::Int8, DType::UInt8, DType::Float16, DType::Float32};
const std::vector<DType> kIndices18 = {DType::UInt1, DType::UInt2, DType::UInt3, DType::UInt4, DType::UInt6, DType::UInt8};

std::string str(int64_t v) { return std::to_string(v); }

int64_t product(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

void requireConstant(const InferContext& ctx, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (ctx.has(n) && !isDescendantOfConst(ctx.value(n))) ctx.fail(std::string(n) + " must be computed from constants");
}

int64_t setBits(const Tensor& bytes) {
    int64_t n = 0;
    for (int64_t b : bytes.toInts())
        for (int i = 0; i < 8; ++i) n += (b >> i) & 1;
    return n;
}

std::vector<TensorType> inferAffineDequantize(const InferContext& ctx) {
    const TensorType& q = ctx.type("quantized_data");
    const int64_t axis = ctx.intValue("axis");
    if (axis < -q.rank() || axis >= q.rank())
        ctx.fail("axis " + str(axis) + " must lie in [-rank, rank) of quantized_data " + q.toString());
    const int64_t axisSize = q.shape[static_cast<size_t>(axis < 0 ? axis + q.rank() : axis)];
    for (const char* p : {"scale", "zero_point"}) {
        const TensorType& t = ctx.type(p);
        if (t.rank() > 1) ctx.fail(std::string(p) + " must be a scalar or a vector");
        if (t.rank() == 1 && t.shape[0] != axisSize)
            ctx.fail(std::string(p) + " holds " + str(t.shape[0]) + " values; quantized_data has " + str(axisSize) +
                     " along the axis");
    }
    return {TensorType{ctx.type("scale").dtype, q.shape}};
}

std::vector<TensorType> inferCast(const InferContext& ctx) {
    if (ctx.stringValue("output_dtype") != "fp32") ctx.fail("only output_dtype fp32 is supported");
    return {TensorType{DType::Float32, ctx.type("source_val").shape}};
}

std::vector<TensorType> inferLutToDense16(const InferContext& ctx) {
    const TensorType& indices = ctx.type("indices");
    const TensorType& lut = ctx.type("lut");
    if (indices.rank() != 1) ctx.fail("indices must be a vector");
    if (lut.rank() != 1) ctx.fail("lut must be a vector");
    const int64_t palette = lut.shape[0];
    if (palette != 2 && palette != 4 && palette != 16 && palette != 64 && palette != 256)
        ctx.fail("lut must hold 2, 4, 16, 64 or 256 values, not " + str(palette));
    const int64_t bits = static_cast<int64_t>(std::lround(std::log2(static_cast<double>(palette))));
    const Shape shape = ctx.ints("shape");
    if (indices.shape[0] != (bits * product(shape) + 7) / 8)
        ctx.fail("indices must hold ceil(" + str(bits) + " bits x " + str(product(shape)) + " values / 8) bytes");
    return {TensorType{lut.dtype, shape}};
}

std::vector<TensorType> inferSparseToDense16(const InferContext& ctx) {
    const TensorType& data = ctx.type("nonzero_data");
    if (data.rank() != 1) ctx.fail("nonzero_data must be a vector");
    if (ctx.type("mask").rank() != 1) ctx.fail("mask must be a vector");
    const Tensor& mask = ctx.constant("mask");
    if (setBits(mask) != data.shape[0])
        ctx.fail("mask sets " + str(setBits(mask)) + " bits but nonzero_data holds " + str(data.shape[0]) + " values");
    const Shape shape = ctx.ints("shape");
    const int64_t count = product(shape);
    if (mask.numel() != (count + 7) / 8) ctx.fail("mask must hold ceil(" + str(count) + " / 8) bytes");
    const std::vector<int64_t> bytes = mask.toInts();
    for (int64_t bit = count; bit < mask.numel() * 8; ++bit)
        if ((bytes[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1) ctx.fail("the padding bits of mask must be 0");
    return {TensorType{data.dtype, shape}};
}

// Shared by the block-wise ops: rank, divisibility and offset rules.
void checkShiftScale(const InferContext& ctx, const Shape& dataShape, DType dataDtype) {
    const TensorType& scale = ctx.type("scale");
    if (static_cast<int64_t>(dataShape.size()) != scale.rank())
        ctx.fail("data and scale must have the same rank (" + str(static_cast<int64_t>(dataShape.size())) + " vs " +
                 str(scale.rank()) + ")");
    if (dataShape.empty()) ctx.fail("data must have rank 1 or more");
    for (size_t i = 0; i < dataShape.size(); ++i)
        if (scale.shape[i] == 0 || dataShape[i] % scale.shape[i] != 0)
            ctx.fail("at dimension " + str(static_cast<int64_t>(i)) + " the data has " + str(dataShape[i]) +
                     " elements, not a multiple of the " + str(scale.shape[i]) + " scales");
    if (ctx.has("offset")) {
        const TensorType& offset = ctx.type("offset");
        if (offset.shape != scale.shape) ctx.fail("offset must have the shape of scale");
        if (!isFloat(offset.dtype) && offset.dtype != dataDtype)
            ctx.fail("an integer offset must have the data's dtype (" + dtypeName(dataDtype) + ")");
    }
}

std::vector<TensorType> inferBlockwiseShiftScale(const InferContext& ctx) {
    requireConstant(ctx, {"data", "scale", "offset"});
    const TensorType& data = ctx.type("data");
    checkShiftScale(ctx, data.shape, data.dtype);
    return {TensorType{ctx.type("scale").dtype, data.shape}};
}

// Shared by the iOS18 look-up-table ops: lut = [grid..., palette, vector] against the index shape.
void checkLut(const InferContext& ctx, const Shape& indexShape, DType indexDtype) {
    const TensorType& lut = ctx.type("lut");
    const int64_t rank = static_cast<int64_t>(indexShape.size());
    if (rank < 1) ctx.fail("indices must have rank 1 or more");
    if (lut.rank() != rank + 2) ctx.fail("lut must have two more dimensions than the indices");
    for (int64_t i = 0; i < rank; ++i)
        if (lut.shape[static_cast<size_t>(i)] == 0 || indexShape[static_cast<size_t>(i)] % lut.shape[static_cast<size_t>(i)] != 0)
            ctx.fail("at dimension " + str(i) + " the indices have " + str(indexShape[static_cast<size_t>(i)]) +
                     " elements, not a multiple of the lut's " + str(lut.shape[static_cast<size_t>(i)]));
    const int64_t palette = lut.shape[static_cast<size_t>(rank)];
    const int bits = static_cast<int>(std::lround(std::log2(static_cast<double>(std::max<int64_t>(palette, 1)))));
    if ((int64_t(1) << bits) != palette) ctx.fail("the lut's palette size must be a power of 2, not " + str(palette));
    if (bits != dtypeBits(indexDtype))
        ctx.fail(str(palette) + " palette entries need uint" + str(bits) + " indices, not " + dtypeName(indexDtype));
    if (ctx.has("vector_axis")) {
        if (ctx.type("vector_axis").rank() != 0) ctx.fail("vector_axis must be a scalar");
        const int64_t a = ctx.intValue("vector_axis");
        if (a < -rank || a >= rank) ctx.fail("vector_axis " + str(a) + " must lie in [-rank, rank)");
    } else if (lut.shape.back() > 1) {
        ctx.fail("vector_axis is required when the lut holds vectors");
    }
}

Shape vectorExpanded(const InferContext& ctx, Shape shape) {
    const int64_t vector = ctx.type("lut").shape.back();
    if (vector > 1) {
        int64_t a = ctx.intValue("vector_axis");
        if (a < 0) a += static_cast<int64_t>(shape.size());
        shape[static_cast<size_t>(a)] *= vector;
    }
    return shape;
}

std::vector<TensorType> inferLutToDense18(const InferContext& ctx) {
    requireConstant(ctx, {"indices", "lut", "vector_axis"});
    const TensorType& indices = ctx.type("indices");
    checkLut(ctx, indices.shape, indices.dtype);
    return {TensorType{ctx.type("lut").dtype, vectorExpanded(ctx, indices.shape)}};
}

void checkSparse(const InferContext& ctx, const char* dataName, const char* maskName) {
    const TensorType& data = ctx.type(dataName);
    if (data.rank() != 1) ctx.fail(std::string(dataName) + " must be a vector");
    if (ctx.isConst(maskName)) {
        int64_t ones = 0;
        for (int64_t v : ctx.constant(maskName).toInts()) ones += v != 0;
        if (ones != data.shape[0])
            ctx.fail("the mask sets " + str(ones) + " elements but " + dataName + " holds " + str(data.shape[0]));
    }
}

std::vector<TensorType> inferSparseToDense18(const InferContext& ctx) {
    requireConstant(ctx, {"nonzero_data", "mask"});
    checkSparse(ctx, "nonzero_data", "mask");
    return {TensorType{ctx.type("nonzero_data").dtype, ctx.type("mask").shape}};
}

std::vector<TensorType> inferLutToSparse(const InferContext& ctx) {
    requireConstant(ctx, {"indices_mask", "indices_nonzero_data", "lut", "vector_axis"});
    checkSparse(ctx, "indices_nonzero_data", "indices_mask");
    const TensorType& mask = ctx.type("indices_mask");
    checkLut(ctx, mask.shape, ctx.type("indices_nonzero_data").dtype);
    const int64_t vector = ctx.type("lut").shape.back();
    return {TensorType{mask.dtype, vectorExpanded(ctx, mask.shape)},
            TensorType{ctx.type("lut").dtype, {ctx.type("indices_nonzero_data").shape[0] * vector}}};
}

std::vector<TensorType> inferSparseBlockwiseShiftScale(const InferContext& ctx) {
    requireConstant(ctx, {"data_mask", "nonzero_data", "scale", "offset"});
    checkSparse(ctx, "nonzero_data", "data_mask");
    const TensorType& mask = ctx.type("data_mask");
    checkShiftScale(ctx, mask.shape, ctx.type("nonzero_data").dtype);
    return {TensorType{mask.dtype, mask.shape}, TensorType{ctx.type("scale").dtype, ctx.type("nonzero_data").shape}};
}
}  // namespace

void registerConstexprOps(OpRegistry& r) {
    r.add({"constexpr_affine_dequantize", Target::iOS16,
           {{"quantized_data", false, false, true, {DType::UInt8, DType::Int8}},
            {"zero_point", false, false, true, {DType::UInt8, DType::Int8, DType::Float32}},
            {"scale", false, false, true, kFloat},
            {"axis", false, false, true, {DType::Int32}}},
           inferAffineDequantize, "scale * (quantized_data - zero_point), per tensor or per axis"});
    r.add({"constexpr_cast", Target::iOS16,
           {{"source_val", false, false, true, {DType::Float16}}, {"output_dtype", false, false, true, {DType::String}}},
           inferCast, "an fp16 constant widened to fp32 at load time"});
    r.add({"constexpr_lut_to_dense", Target::iOS16,
           {{"indices", false, false, true, {DType::UInt8}},
            {"lut", false, false, true, kLutValues},
            {"shape", false, false, true, {DType::UInt32}}},
           inferLutToDense16, "palettized weights: packed n-bit indices into a look-up table"});
    r.add({"constexpr_sparse_to_dense", Target::iOS16,
           {{"nonzero_data", false, false, true, kLutValues},
            {"mask", false, false, true, {DType::UInt8}},
            {"shape", false, false, true, {DType::UInt32}}},
           inferSparseToDense16, "sparse weights: the nonzero values placed where a packed bit mask is set"});

    r.add({"constexpr_blockwise_shift_scale", Target::iOS18,
           {{"data", false, false, false, kQuantized18},
            {"scale", false, false, false, kFloat},
            {"offset", true, false, false, kQuantized18}},
           inferBlockwiseShiftScale, "scale * (data - offset) with one scale (and offset) per block"});
    r.add({"constexpr_lut_to_dense", Target::iOS18,
           {{"indices", false, false, false, kIndices18},
            {"lut", false, false, false, kLutValues},
            {"vector_axis", true, false, false, {DType::Int32}}},
           inferLutToDense18, "palettized weights: per-block look-up tables of scalars or vectors"});
    r.add({"constexpr_sparse_to_dense", Target::iOS18,
           {{"nonzero_data", false, false, false, kQuantized18}, {"mask", false, false, false, {DType::UInt1}}},
           inferSparseToDense18, "sparse weights: the nonzero values placed where the uint1 mask is set"});
    r.add({"constexpr_lut_to_sparse", Target::iOS18,
           {{"indices_mask", false, false, false, {DType::UInt1}},
            {"indices_nonzero_data", false, false, false, kIndices18},
            {"lut", false, false, false, kLutValues},
            {"vector_axis", true, false, false, {DType::Int32}}},
           inferLutToSparse, "palettized sparse weights: decodes the nonzero values, keeps them sparse"});
    r.add({"constexpr_sparse_blockwise_shift_scale", Target::iOS18,
           {{"data_mask", false, false, false, {DType::UInt1}},
            {"nonzero_data", false, false, false, kQuantized18},
            {"scale", false, false, false, kFloat},
            {"offset", true, false, false, kQuantized18}},
           inferSparseBlockwiseShiftScale, "quantized sparse weights: dequantizes the nonzero values, keeps them sparse"});
    r.add({"constexpr_cast", Target::iOS18,
           {{"source_val", false, false, true, {DType::Float16}}, {"output_dtype", false, false, true, {DType::String}}},
           inferCast, "an fp16 constant widened to fp32 at load time"});
}

}  // namespace cms::mil
