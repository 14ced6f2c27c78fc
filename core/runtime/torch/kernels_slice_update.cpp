// slice_update, from Core ML's definition: the region x[begin:end:stride] (numpy bounds, with the masks of
// slice_by_index) replaced by `update`. The region is found by slicing a tensor of x's flat positions, so
// negative strides and squeezed dimensions need no separate write path.
#include <algorithm>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {

std::vector<at::Tensor> sliceUpdate(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& update = c.in("update");
    const size_t rank = static_cast<size_t>(x.dim());
    const std::vector<int64_t> begin = c.ints("begin"), end = c.ints("end");
    const std::vector<int64_t> stride = c.intsOr("stride", std::vector<int64_t>(rank, 1));
    const std::vector<int64_t> beginMask = c.intsOr("begin_mask", std::vector<int64_t>(rank, 0));
    const std::vector<int64_t> endMask = c.intsOr("end_mask", std::vector<int64_t>(rank, 0));
    const std::vector<int64_t> squeezeMask = c.intsOr("squeeze_mask", std::vector<int64_t>(rank, 0));
    for (const auto* v : {&begin, &end, &stride, &beginMask, &endMask, &squeezeMask})
        if (v->size() != rank) c.fail("begin, end, stride and the masks need one entry per dimension of x");
    at::Tensor positions = at::arange(x.numel(), at::kLong).reshape(x.sizes());
    for (size_t i = 0; i < rank; ++i) {
        const int64_t d = static_cast<int64_t>(i), len = x.size(d), s = stride[i];
        if (s == 0) c.fail("stride may not be 0");
        const auto bound = [&](int64_t v, bool masked, bool isBegin) {
            if (masked) return s > 0 ? (isBegin ? int64_t(0) : len) : (isBegin ? len - 1 : int64_t(-1));
            if (v < 0) v += len;
            return s > 0 ? std::clamp<int64_t>(v, 0, len) : std::clamp<int64_t>(v, -1, len - 1);
        };
        const int64_t b = bound(begin[i], beginMask[i] != 0, true);
        const int64_t e = squeezeMask[i] ? b + (s > 0 ? 1 : -1) : bound(end[i], endMask[i] != 0, false);
        std::vector<int64_t> picked;
        for (int64_t k = b; s > 0 ? k < e : k > e; k += s) picked.push_back(k);
        positions = positions.index_select(d, at::tensor(picked, at::kLong));
    }
    std::vector<int64_t> regionShape;
    for (size_t i = 0; i < rank; ++i)
        if (!squeezeMask[i]) regionShape.push_back(positions.size(static_cast<int64_t>(i)));
    if (update.dim() == 0) c.fail("a rank-0 update is not supported");
    if (update.sizes().vec() != regionShape) c.fail("update's shape does not match the region it replaces");
    at::Tensor out = x.clone().reshape({-1});
    out.index_put_({positions.reshape({-1})}, update.reshape({-1}).to(out.scalar_type()));
    return {out.reshape(x.sizes())};
}

}  // namespace

void registerSliceUpdateKernels(KernelTable& t) { t["slice_update"] = sliceUpdate; }

}  // namespace cms::runtime
