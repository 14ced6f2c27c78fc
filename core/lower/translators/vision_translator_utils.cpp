#include "lower/translators/vision_translator_utils.h"

#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

mil::Value* sliceAxis(LowerContext& ctx, mil::Value* x, int64_t axis, int64_t begin, int64_t end, const std::string& name) {
    const Shape shape = staticShape(ctx, x, "slicing");
    std::vector<int64_t> b(shape.size(), 0), e(shape.begin(), shape.end());
    b[static_cast<size_t>(axis)] = begin;
    e[static_cast<size_t>(axis)] = end;
    mil::Builder& bld = ctx.builder();
    return bld.add1("slice_by_index",
                    {{"x", {x}}, {"begin", {bld.constInts(b, name + "_begin")}}, {"end", {bld.constInts(e, name + "_end")}}},
                    name);
}

mil::Value* gatherConst(LowerContext& ctx, mil::Value* x, int64_t axis, const std::vector<int64_t>& indices,
                        const Shape& indexShape, const std::string& name) {
    mil::Builder& b = ctx.builder();
    mil::Value* idx = b.constant(Tensor::fromInts(indices, indexShape, DType::Int32), name + "_indices");
    return b.add1("gather", {{"x", {x}}, {"indices", {idx}}, {"axis", {b.constInt(axis, name + "_axis")}}}, name);
}

mil::Value* concatAxis(LowerContext& ctx, const std::vector<mil::Value*>& values, int64_t axis, const std::string& name) {
    if (values.size() == 1) return values.front();
    return ctx.builder().add1("concat", {{"values", values}, {"axis", {ctx.builder().constInt(axis, name + "_axis")}}}, name);
}

mil::Value* transposeTo(LowerContext& ctx, mil::Value* x, const std::vector<int64_t>& perm, const std::string& name) {
    return ctx.builder().add1("transpose", {{"x", {x}}, {"perm", {ctx.builder().constInts(perm, name + "_perm")}}}, name);
}

mil::Value* withScalar(LowerContext& ctx, const std::string& op, mil::Value* x, double y, const std::string& name) {
    return ctx.builder().add1(op, {{"x", {x}}, {"y", {scalarConst(ctx, y, x->type.dtype, name + "_y")}}}, name);
}

mil::Value* binary(LowerContext& ctx, const std::string& op, mil::Value* x, mil::Value* y, const std::string& name) {
    return ctx.builder().add1(op, {{"x", {x}}, {"y", {y}}}, name);
}

mil::Value* floatTensorConst(LowerContext& ctx, const std::vector<float>& v, const Shape& shape, DType dtype,
                             const std::string& name) {
    return ctx.builder().constant(Tensor::fromFloats(v, shape).castTo(dtype), name);
}

mil::Value* padDims(LowerContext& ctx, mil::Value* x, const std::vector<std::pair<int64_t, int64_t>>& pads,
                    const std::string& mode, double value, const std::string& name) {
    // Padded sizes may be only known at run time (flexible inputs): Core ML's pad takes them as they
    // come; cropping, wrapping and the gathers for leading reflected dimensions need them fixed.
    const Shape shape = x->type.shape;
    const int64_t rank = static_cast<int64_t>(shape.size());
    const auto fixedSize = [&](const Shape& of, int64_t axis, const std::string& what) {
        const int64_t size = of[static_cast<size_t>(axis)];
        if (size == mil::kUnknownDim)
            ctx.fail(what + " of dimension " + std::to_string(axis) + ", whose size is only known at run time (" +
                         x->type.toString() + "), is not supported",
                     "give the flexible input a fixed size in that dimension, or pad with non-negative amounts "
                     "(constant padding, or reflect/replicate over the last two dimensions)");
        return size;
    };
    const int64_t n = static_cast<int64_t>(pads.size());
    if (n > rank)
        ctx.fail("padding " + std::to_string(n) + " dimensions of a rank-" + std::to_string(rank) + " input " +
                 x->type.toString());
    mil::Value* y = x;
    // Crops first, so only non-negative padding remains.
    std::vector<std::pair<int64_t, int64_t>> grow = pads;
    for (int64_t i = 0; i < n; ++i) {
        auto& [before, after] = grow[static_cast<size_t>(i)];
        const int64_t axis = rank - n + i;
        if (before >= 0 && after >= 0) continue;
        if (mode != "constant") ctx.fail("negative padding is only allowed for constant padding");
        const int64_t size = fixedSize(shape, axis, "negative padding (cropping)");
        const int64_t b = std::max<int64_t>(0, -before), e = size - std::max<int64_t>(0, -after);
        if (e <= b) ctx.fail("negative padding removes the whole dimension " + std::to_string(axis));
        y = sliceAxis(ctx, y, axis, b, e, name + "_crop" + std::to_string(axis));
        before = std::max<int64_t>(0, before);
        after = std::max<int64_t>(0, after);
    }
    bool any = false;
    for (const auto& [b, a] : grow) any = any || b != 0 || a != 0;
    if (!any) return y;
    const Shape cropped = y->type.shape;
    if (mode == "circular") {
        // Wraps around: the tail of a dimension goes before it and its head after it.
        for (int64_t i = 0; i < n; ++i) {
            const auto [before, after] = grow[static_cast<size_t>(i)];
            if (before == 0 && after == 0) continue;
            const int64_t axis = rank - n + i, size = fixedSize(cropped, axis, "circular padding");
            if (before > size || after > size)
                ctx.fail("circular padding by (" + std::to_string(before) + ", " + std::to_string(after) +
                         ") is larger than the dimension (" + std::to_string(size) + ")");
            const std::string part = name + "_wrap" + std::to_string(axis);
            std::vector<mil::Value*> parts;
            if (before) parts.push_back(sliceAxis(ctx, y, axis, size - before, size, part + "_head"));
            parts.push_back(y);
            if (after) parts.push_back(sliceAxis(ctx, y, axis, 0, after, part + "_tail"));
            y = concatAxis(ctx, parts, axis, part);
        }
        return y;
    }
    if (mode != "constant" && mode != "reflect" && mode != "replicate")
        ctx.fail("padding mode '" + mode + "' is not supported", "use constant, reflect, replicate or circular padding");
    // Core ML's pad reflects or replicates only the last two dimensions; earlier ones gather the
    // same source indices explicitly.
    int64_t first = 0;
    if (mode != "constant" && n > 2) {
        for (int64_t i = 0; i < n - 2; ++i) {
            const auto [before, after] = grow[static_cast<size_t>(i)];
            if (before == 0 && after == 0) continue;
            const int64_t axis = rank - n + i, size = fixedSize(cropped, axis, mode + " padding before the last two dimensions");
            std::vector<int64_t> src;
            for (int64_t o = -before; o < size + after; ++o) {
                int64_t s = o;
                if (mode == "reflect") s = s < 0 ? -s : (s >= size ? 2 * (size - 1) - s : s);
                else s = std::min(std::max<int64_t>(s, 0), size - 1);
                if (s < 0 || s >= size) ctx.fail("reflect padding must be smaller than the padded dimension");
                src.push_back(s);
            }
            y = gatherConst(ctx, y, axis, src, {static_cast<int64_t>(src.size())}, name + "_pad" + std::to_string(axis));
        }
        first = n - 2;
    }
    std::vector<int64_t> amounts;
    for (int64_t i = first; i < n; ++i) {
        const auto [before, after] = grow[static_cast<size_t>(i)];
        const int64_t size = cropped[static_cast<size_t>(rank - n + i)];
        if (mode == "reflect" && size != mil::kUnknownDim && (before >= size || after >= size))
            ctx.fail("reflect padding by (" + std::to_string(before) + ", " + std::to_string(after) +
                     ") must be smaller than the padded dimension (" + std::to_string(size) + ")");
        amounts.push_back(before);
        amounts.push_back(after);
    }
    bool rest = false;
    for (int64_t a : amounts) rest = rest || a != 0;
    if (!rest) return y;
    mil::Builder& b = ctx.builder();
    std::vector<mil::OpInput> inputs = {{"x", {y}}, {"pad", {b.constInts(amounts, name + "_amounts")}},
                                        {"mode", {b.constString(mode, name + "_mode")}}};
    if (mode == "constant") inputs.push_back({"constant_val", {scalarConst(ctx, value, y->type.dtype, name + "_value")}});
    return b.add1("pad", std::move(inputs), name);
}

}  // namespace cms::lower
