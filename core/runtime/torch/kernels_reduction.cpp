// Reductions over axes (all axes when none are given), arg-reductions and softmax.
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

struct Reduction {
    at::Tensor x;
    std::vector<int64_t> axes;  // sorted, unique
    bool keep = false;
};

Reduction reduction(const KernelContext& c) {
    Reduction r{c.in("x"), {}, c.boolOr("keep_dims", false)};
    if (c.has("axes"))
        for (int64_t a : c.ints("axes")) r.axes.push_back(c.axis(a, r.x.dim()));
    else
        for (int64_t a = 0; a < r.x.dim(); ++a) r.axes.push_back(a);
    std::sort(r.axes.begin(), r.axes.end());
    r.axes.erase(std::unique(r.axes.begin(), r.axes.end()), r.axes.end());
    return r;
}

// ATen reads an empty dimension list as "all dimensions"; Core ML reduces over none.
bool nothingToReduce(const Reduction& r) { return r.axes.empty(); }

at::Tensor sum(const Reduction& r, const at::Tensor& v) { return nothingToReduce(r) ? v : at::sum(v, r.axes, r.keep); }
at::Tensor asFloat(const at::Tensor& x) { return x.is_floating_point() ? x : x.to(at::kFloat); }

Tensors reduceSum(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {sum(r, r.x)};
}
Tensors reduceMean(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {nothingToReduce(r) ? r.x : at::mean(asFloat(r.x), r.axes, r.keep)};
}
Tensors reduceMax(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {nothingToReduce(r) ? r.x : at::amax(r.x, r.axes, r.keep)};
}
Tensors reduceMin(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {nothingToReduce(r) ? r.x : at::amin(r.x, r.axes, r.keep)};
}
Tensors reduceProd(const KernelContext& c) {
    const Reduction r = reduction(c);
    at::Tensor y = r.x;
    for (auto it = r.axes.rbegin(); it != r.axes.rend(); ++it) y = at::prod(y, *it, r.keep);
    return {y};
}
Tensors reduceL1(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {sum(r, at::abs(r.x))};
}
Tensors reduceL2(const KernelContext& c) {
    const Reduction r = reduction(c);
    const at::Tensor x = asFloat(r.x);
    return {at::sqrt(sum(r, at::mul(x, x)))};
}
Tensors reduceLogSum(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {at::log(sum(r, asFloat(r.x)))};
}
Tensors reduceLogSumExp(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {nothingToReduce(r) ? r.x : at::logsumexp(asFloat(r.x), r.axes, r.keep)};
}
Tensors reduceSumSquare(const KernelContext& c) {
    const Reduction r = reduction(c);
    return {sum(r, at::mul(r.x, r.x))};
}

Tensors argReduce(const KernelContext& c, bool max) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intOr("axis", -1), x.dim());
    const bool keep = c.boolOr("keep_dims", false);
    return {(max ? at::argmax(x, axis, keep) : at::argmin(x, axis, keep)).to(at::kInt)};
}
Tensors reduceArgmax(const KernelContext& c) { return argReduce(c, true); }
Tensors reduceArgmin(const KernelContext& c) { return argReduce(c, false); }

Tensors softmax(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::softmax(x, c.axis(c.intOr("axis", -1), x.dim()))};
}
}  // namespace

void registerReductionKernels(KernelTable& t) {
    t["reduce_sum"] = reduceSum;
    t["reduce_mean"] = reduceMean;
    t["reduce_max"] = reduceMax;
    t["reduce_min"] = reduceMin;
    t["reduce_prod"] = reduceProd;
    t["reduce_l1_norm"] = reduceL1;
    t["reduce_l2_norm"] = reduceL2;
    t["reduce_log_sum"] = reduceLogSum;
    t["reduce_log_sum_exp"] = reduceLogSumExp;
    t["reduce_sum_square"] = reduceSumSquare;
    t["reduce_argmax"] = reduceArgmax;
    t["reduce_argmin"] = reduceArgmin;
    t["softmax"] = softmax;
}

}  // namespace cms::runtime
