// Ops that address elements by computed positions: gather_nd, the scatter family (scatter,
// scatter_along_axis, scatter_nd), the sorting ops (topk, argsort) and non_maximum_suppression,
// written from Core ML's op definitions. Every scatter form is reduced to an element-wise scatter
// along one axis.
#include <algorithm>
#include <array>
#include <limits>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

// The flat position over x's leading `depth` dimensions of each index vector (last axis of indices).
at::Tensor flatPositions(const KernelContext& c, const at::Tensor& x, const at::Tensor& indices) {
    const int64_t depth = indices.size(-1);
    at::Tensor flat = at::zeros(indices.sizes().slice(0, indices.dim() - 1), at::kLong);
    for (int64_t d = 0; d < depth; ++d)
        flat = flat * x.size(d) + checkedIndices(c, indices.select(-1, d), x.size(d));
    return flat;
}

// x viewed as [positions over the first `depth` dims, rest...].
at::Tensor leadingMerged(const at::Tensor& x, int64_t depth) {
    std::vector<int64_t> shape = {-1};
    shape.insert(shape.end(), x.sizes().begin() + depth, x.sizes().end());
    return x.reshape(shape);
}

at::Tensor gatherNdOne(const KernelContext& c, const at::Tensor& x, const at::Tensor& indices) {
    const int64_t depth = indices.size(-1);
    const at::Tensor flat = flatPositions(c, x, indices);
    std::vector<int64_t> shape(indices.sizes().begin(), indices.sizes().end() - 1);
    shape.insert(shape.end(), x.sizes().begin() + depth, x.sizes().end());
    return at::index_select(leadingMerged(x, depth), 0, flat.flatten()).reshape(shape);
}

Tensors gatherNd(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& indices = c.in("indices");
    const int64_t batchDims = c.intOr("batch_dims", 0);
    if (batchDims == 0) return {gatherNdOne(c, x, indices)};
    // The leading batch_dims dimensions of x and indices are walked together.
    const std::vector<int64_t> batch(x.sizes().begin(), x.sizes().begin() + batchDims);
    const at::Tensor xs = x.flatten(0, batchDims - 1), is = indices.flatten(0, batchDims - 1);
    std::vector<at::Tensor> parts;
    for (int64_t i = 0; i < xs.size(0); ++i) parts.push_back(gatherNdOne(c, xs[i], is[i]));
    at::Tensor out = at::stack(parts, 0);
    std::vector<int64_t> shape = batch;
    shape.insert(shape.end(), out.sizes().begin() + 1, out.sizes().end());
    return {out.reshape(shape)};
}

// data with updates combined at idx (same shape as updates, int64, in range) along axis by mode.
at::Tensor scatterElements(const KernelContext& c, const at::Tensor& data, int64_t axis, const at::Tensor& idx,
                           const at::Tensor& updates, const std::string& mode) {
    const at::Tensor u = updates.to(data.scalar_type());
    if (mode == "update") return data.scatter(axis, idx, u);
    if (mode == "add") return data.scatter_add(axis, idx, u);
    if (mode == "sub") return data.scatter_add(axis, idx, u.neg());
    if (mode == "mul") return data.scatter_reduce(axis, idx, u, "prod", true);
    if (mode == "max") return data.scatter_reduce(axis, idx, u, "amax", true);
    if (mode == "min") return data.scatter_reduce(axis, idx, u, "amin", true);
    if (mode == "div") {
        // Dividing by each update in turn: divide once by the product of the updates per position.
        const at::Tensor divisor = at::ones_like(data).scatter_reduce(axis, idx, u, "prod", true);
        return data.is_floating_point() ? data / divisor : at::div(data, divisor, "trunc");
    }
    c.fail("unknown mode '" + mode + "'");
}

std::string modeOf(const KernelContext& c) { return c.strOr("mode", "add"); }

Tensors scatterAlongAxis(const KernelContext& c) {
    const at::Tensor& data = c.in("data");
    const int64_t axis = c.axis(c.intOr("axis", 0), data.dim());
    const at::Tensor idx = checkedIndices(c, c.in("indices"), data.size(axis));
    return {scatterElements(c, data, axis, idx, c.in("updates"), modeOf(c))};
}

Tensors scatter(const KernelContext& c) {
    const at::Tensor& data = c.in("data");
    const at::Tensor& updates = c.in("updates");
    const int64_t axis = c.axis(c.intOr("axis", 0), data.dim());
    const at::Tensor idx = checkedIndices(c, c.in("indices"), data.size(axis));
    // Slice i of updates along the axis goes to position indices[i]: spread the 1-D index over it.
    std::vector<int64_t> view(static_cast<size_t>(data.dim()), 1);
    view[static_cast<size_t>(axis)] = idx.numel();
    const at::Tensor full = idx.reshape(view).expand(updates.sizes()).contiguous();
    return {scatterElements(c, data, axis, full, updates, modeOf(c))};
}

Tensors scatterNd(const KernelContext& c) {
    const at::Tensor& data = c.in("data");
    const at::Tensor& indices = c.in("indices");
    const int64_t depth = indices.size(-1);
    const at::Tensor flat = flatPositions(c, data, indices).flatten();
    // Over data merged to [positions, rest...], each index vector addresses one row.
    const at::Tensor rows = leadingMerged(data, depth);
    std::vector<int64_t> rowShape = rows.sizes().vec();
    rowShape[0] = flat.numel();
    const at::Tensor u = c.in("updates").reshape(rowShape);
    std::vector<int64_t> view(static_cast<size_t>(rows.dim()), 1);
    view[0] = flat.numel();
    const at::Tensor idx = flat.reshape(view).expand(u.sizes()).contiguous();
    return {scatterElements(c, rows, 0, idx, u, modeOf(c)).reshape(data.sizes())};
}

Tensors topk(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intOr("axis", -1), x.dim());
    const int64_t k = c.intOr("k", 1);
    const bool ascending = c.boolOr("ascending", false);
    // Sorted output in both cases (sort=false leaves the order to the implementation).
    auto [values, indices] = at::topk(x, k, axis, !ascending, true);
    if (!c.boolOr("return_indices", true)) return {values};
    return {values, indices.to(at::kInt)};
}

Tensors argsort(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const int64_t axis = c.axis(c.intOr("axis", -1), x.dim());
    auto sorted = at::sort(x, /*stable=*/true, axis, /*descending=*/!c.boolOr("ascending", false));
    return {std::get<1>(sorted).to(at::kInt)};
}

// Core ML's non_maximum_suppression on boxes in center form (x, y, width, height): per batch, boxes
// are taken in descending order of their best class score (equal scores: lower index first), those
// under score_threshold dropped, and a box is suppressed when its IoU with an already kept box (of the
// same best class, with per_class_suppression) exceeds iou_threshold. Outputs are padded to max_boxes
// with zero boxes and scores and index -1. iOS17 stores boxes and scores with B last and has no count.
Tensors nonMaximumSuppression(const KernelContext& c) {
    const bool boxesLast = c.target() >= mil::Target::iOS17;
    at::Tensor boxes = c.in("boxes").to(at::kFloat);
    at::Tensor scores = c.in("scores").to(at::kFloat);
    if (boxesLast) {
        boxes = boxes.transpose(1, 2);
        scores = scores.transpose(1, 2);
    }
    boxes = boxes.contiguous();
    scores = scores.contiguous();
    const int64_t n = boxes.size(0), count = boxes.size(1), classes = scores.size(2);
    if (boxes.size(2) != 4 || scores.size(0) != n || scores.size(1) != count)
        c.fail("boxes and scores do not fit: " + std::to_string(boxes.size(1)) + " boxes, " +
               std::to_string(scores.size(1)) + " scores");
    const double iouThreshold = c.floatValue("iou_threshold");
    const double scoreThreshold =
        boxesLast ? -std::numeric_limits<double>::infinity() : c.floatValue("score_threshold");
    const int64_t maxBoxes = c.intValue("max_boxes");
    const bool perClass = c.boolOr("per_class_suppression", false);

    at::Tensor outBoxes = at::zeros({n, maxBoxes, 4}, at::kFloat);
    at::Tensor outScores = at::zeros({n, maxBoxes, classes}, at::kFloat);
    at::Tensor outIndices = at::full({n, maxBoxes}, -1, at::kInt);
    at::Tensor outCount = at::zeros({n}, at::kInt);
    for (int64_t b = 0; b < n; ++b) {
        const at::Tensor bx = boxes[b];
        const at::Tensor sc = scores[b];
        auto [maxScore, maxClass] = sc.max(1);
        const at::Tensor best = maxScore.contiguous(), bestClass = maxClass.contiguous();
        const at::Tensor order = std::get<1>(at::sort(best, /*stable=*/true, 0, /*descending=*/true)).contiguous();
        const float* box = bx.data_ptr<float>();
        const float* top = best.data_ptr<float>();
        const int64_t* cls = bestClass.data_ptr<int64_t>();
        const int64_t* ord = order.data_ptr<int64_t>();
        auto corners = [&](int64_t i) {
            const float* p = box + i * 4;
            return std::array<double, 4>{p[0] - p[2] / 2.0, p[1] - p[3] / 2.0, p[0] + p[2] / 2.0, p[1] + p[3] / 2.0};
        };
        std::vector<int64_t> kept;
        for (int64_t o = 0; o < count && static_cast<int64_t>(kept.size()) < maxBoxes; ++o) {
            const int64_t i = ord[o];
            if (top[i] < scoreThreshold) continue;
            const auto a = corners(i);
            const double areaA = static_cast<double>(box[i * 4 + 2]) * box[i * 4 + 3];
            bool suppressed = false;
            for (int64_t j : kept) {
                if (perClass && cls[j] != cls[i]) continue;
                const auto k = corners(j);
                const double w = std::max(0.0, std::min(a[2], k[2]) - std::max(a[0], k[0]));
                const double h = std::max(0.0, std::min(a[3], k[3]) - std::max(a[1], k[1]));
                const double inter = w * h;
                const double areaK = static_cast<double>(box[j * 4 + 2]) * box[j * 4 + 3];
                if (inter / (areaA + areaK - inter) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (suppressed) continue;
            const int64_t slot = static_cast<int64_t>(kept.size());
            outBoxes[b][slot].copy_(bx[i]);
            outScores[b][slot].copy_(sc[i]);
            outIndices[b][slot] = static_cast<int32_t>(i);
            kept.push_back(i);
        }
        outCount[b] = static_cast<int32_t>(kept.size());
    }
    if (boxesLast) return {outBoxes.transpose(1, 2).contiguous(), outScores.transpose(1, 2).contiguous(), outIndices};
    return {outBoxes, outScores, outIndices, outCount};
}
}  // namespace

void registerIndexKernels(KernelTable& t) {
    t["gather_nd"] = gatherNd;
    t["scatter"] = scatter;
    t["scatter_along_axis"] = scatterAlongAxis;
    t["scatter_nd"] = scatterNd;
    t["topk"] = topk;
    t["argsort"] = argsort;
    t["non_maximum_suppression"] = nonMaximumSuppression;
}

}  // namespace cms::runtime
