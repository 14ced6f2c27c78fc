// pad: each padded dimension reads the input at a source index (the index minus the leading pad,
// mirrored at the edges for reflect, clamped for replicate); constant padding fills positions
// whose source lies outside the input.
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

Tensors pad(const KernelContext& c) {
    at::Tensor y = c.in("x");
    const std::vector<int64_t> amounts = c.ints("pad");
    const std::string mode = c.strOr("mode", "constant");
    const double value = c.floatOr("constant_val", 0.0);
    const int64_t rank = y.dim();
    const int64_t n = static_cast<int64_t>(amounts.size()) / 2;
    if (n > rank) c.fail("pad covers more dimensions than x has");
    for (int64_t i = 0; i < n; ++i) {
        const int64_t axis = rank - n + i;
        const int64_t size = y.size(axis);
        const int64_t before = amounts[2 * i], after = amounts[2 * i + 1];
        if (before == 0 && after == 0) continue;
        if (size == 0) c.fail("cannot pad an empty dimension");
        std::vector<int64_t> src;
        std::vector<bool> inside;
        for (int64_t o = 0; o < size + before + after; ++o) {
            int64_t s = o - before;
            inside.push_back(s >= 0 && s < size);
            if (mode == "reflect") {
                if (s < 0) s = -s;
                if (s >= size) s = 2 * (size - 1) - s;
                if (s < 0 || s >= size) c.fail("reflect padding larger than the dimension minus one");
            } else {
                s = std::min(std::max<int64_t>(s, 0), size - 1);
            }
            src.push_back(s);
        }
        at::Tensor padded = y.index_select(axis, at::tensor(src));
        if (mode == "constant") {
            std::vector<int64_t> maskShape(static_cast<size_t>(rank), 1);
            maskShape[static_cast<size_t>(axis)] = static_cast<int64_t>(inside.size());
            std::vector<uint8_t> m(inside.begin(), inside.end());
            const at::Tensor mask = at::tensor(m).to(at::kBool).reshape(maskShape);
            padded = at::where(mask, padded, at::scalar_tensor(value, padded.options()));
        }
        y = padded;
    }
    return {y.contiguous()};
}
}  // namespace

void registerPaddingKernels(KernelTable& t) { t["pad"] = pad; }

}  // namespace cms::runtime
