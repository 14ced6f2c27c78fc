// conv and conv_transpose. iOS15 requires weight and bias in the input's dtype and a const
// transposed-conv weight; iOS17 lets weight/bias have their own (shared) float dtype.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kInt32 = {DType::Int32};
const std::vector<DType> kString = {DType::String};

std::string str(int64_t v) { return std::to_string(v); }

// The spatial rank and the per-dimension attributes every conv flavour shares.
struct ConvAttrs {
    size_t spatial = 0;
    std::vector<int64_t> strides, dilations, pad;
    std::string padType;
    int64_t groups = 1;
};

ConvAttrs convAttrs(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& w = ctx.type("weight");
    if (x.rank() < 3 || x.rank() > 5)
        ctx.fail("x must have rank 3, 4 or 5 ([N, C, spatial...]), got " + x.toString());
    if (w.rank() != x.rank())
        ctx.fail("weight " + w.toString() + " must have the same rank as x " + x.toString());
    ConvAttrs a;
    a.spatial = static_cast<size_t>(x.rank() - 2);
    a.strides = ctx.intsOr("strides", std::vector<int64_t>(a.spatial, 1));
    a.dilations = ctx.intsOr("dilations", std::vector<int64_t>(a.spatial, 1));
    a.padType = ctx.stringOr("pad_type", "valid");
    a.pad = ctx.intsOr("pad", std::vector<int64_t>(2 * a.spatial, 0));
    a.groups = ctx.intOr("groups", 1);
    if (a.groups <= 0) ctx.fail("groups must be positive, got " + str(a.groups));
    if (a.strides.size() != a.spatial || a.dilations.size() != a.spatial || a.pad.size() != 2 * a.spatial)
        ctx.fail("strides, dilations (" + str(a.spatial) + " values each) and pad (" + str(2 * a.spatial) +
                 " values) must match the " + str(a.spatial) + " spatial dimensions of x");
    if (a.padType == "same_lower" && ctx.target() == Target::iOS15)
        ctx.fail("pad_type same_lower needs iOS16 or newer");
    return a;
}

void checkBias(const InferContext& ctx, int64_t cOut) {
    if (!ctx.has("bias")) return;
    const TensorType& b = ctx.type("bias");
    if (b.rank() != 1 || (cOut != kUnknownDim && b.shape[0] != cOut))
        ctx.fail("bias " + b.toString() + " must hold one value per output channel (" + str(cOut) + ")");
}

std::vector<TensorType> inferConv(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& w = ctx.type("weight");
    const ConvAttrs a = convAttrs(ctx);
    const int64_t cIn = x.shape[1];
    const int64_t cOut = w.shape[0];
    checkBias(ctx, cOut);
    if (cIn != kUnknownDim) {
        if (cIn % a.groups != 0) ctx.fail("input channels " + str(cIn) + " are not divisible by groups " + str(a.groups));
        if (cIn / a.groups != w.shape[1])
            ctx.fail("input channels / groups = " + str(cIn) + "/" + str(a.groups) + " does not match weight dimension 1 (" +
                     str(w.shape[1]) + ")");
    }
    bool dilated = false;
    for (int64_t d : a.dilations) dilated = dilated || d > 1;
    if (dilated && !isDescendantOfConst(ctx.value("weight")))
        ctx.fail("dilated convolution needs a constant weight");
    const Shape kernel(w.shape.begin() + 2, w.shape.end());
    const Shape inSpatial(x.shape.begin() + 2, x.shape.end());
    const std::vector<int64_t> spatial = spatialOutputShape(
        ctx, a.padType, inSpatial, kernel, a.strides, a.dilations, a.padType == "custom" ? a.pad : std::vector<int64_t>{},
        false);
    Shape out = {x.shape[0], cOut};
    out.insert(out.end(), spatial.begin(), spatial.end());
    return {TensorType{x.dtype, out}};
}

std::vector<TensorType> inferConvTranspose(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& w = ctx.type("weight");
    const ConvAttrs a = convAttrs(ctx);
    const int64_t cOut = w.shape[1] * a.groups;
    checkBias(ctx, cOut);
    if (x.shape[1] != kUnknownDim && x.shape[1] != w.shape[0])
        ctx.fail("input channels " + str(x.shape[1]) + " do not match weight dimension 0 (" + str(w.shape[0]) + ")");
    if (ctx.has("output_shape")) {
        const std::vector<int64_t> given = ctx.ints("output_shape");
        if (given.size() != x.shape.size() || given[0] != x.shape[0] || given[1] != cOut)
            ctx.fail("output_shape must be [N, C_out, spatial...] = [" + str(x.shape[0]) + ", " + str(cOut) + ", ...]");
        return {TensorType{x.dtype, Shape(given.begin(), given.end())}};
    }
    Shape out = {x.shape[0], cOut};
    for (size_t i = 0; i < a.spatial; ++i) {
        const int64_t in = x.shape[2 + i];
        const int64_t k = (w.shape[2 + i] - 1) * a.dilations[i] + 1;
        const int64_t s = a.strides[i];
        int64_t size;
        if (in == kUnknownDim) size = kUnknownDim;
        else if (a.padType == "same") size = s * in;
        else if (a.padType == "valid") size = s * (in - 1) + k;
        else if (a.padType == "custom") size = s * (in - 1) + k - a.pad[2 * i] - a.pad[2 * i + 1];
        else ctx.fail("pad_type '" + a.padType + "' is not supported by conv_transpose (valid, same or custom)");
        if (size != kUnknownDim && size <= 0)
            ctx.fail("spatial dimension " + str(int64_t(i)) + " has invalid output size " + str(size));
        out.push_back(size);
    }
    return {TensorType{x.dtype, out}};
}

std::vector<InputDecl> convInputs(bool transposed, bool iOS17) {
    std::vector<InputDecl> in = {
        {"x", false, false, false, kFloat},
        {"weight", false, false, transposed && !iOS17, kFloat},
        {"bias", true, false, !iOS17, kFloat},
        {"strides", true, false, true, kInt32},
        {"pad_type", true, false, true, kString},
        {"pad", true, false, true, kInt32},
        {"dilations", true, false, true, kInt32},
        {"groups", true, false, true, kInt32},
    };
    if (transposed) in.push_back({"output_shape", true, false, true, kInt32});
    return in;
}
}  // namespace

void registerConvOps(OpRegistry& r) {
    r.add({"conv", Target::iOS15, convInputs(false, false),
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "weight", "bias"});
               return inferConv(ctx);
           },
           "N-d convolution (1-3 spatial dimensions) with strides, padding, dilations and groups"});
    r.add({"conv", Target::iOS17, convInputs(false, true),
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"weight", "bias"});
               return inferConv(ctx);
           },
           "N-d convolution; weight and bias may use a different float type than x"});
    r.add({"conv_transpose", Target::iOS15, convInputs(true, false),
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "weight", "bias"});
               return inferConvTranspose(ctx);
           },
           "transposed (fractionally strided) convolution"});
    r.add({"conv_transpose", Target::iOS17, convInputs(true, true),
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"weight", "bias"});
               return inferConvTranspose(ctx);
           },
           "transposed convolution; weight may be computed and use its own float type"});
}

}  // namespace cms::mil
