// Folds what follows a convolution into its weight and bias: batch_norm (inference form), and an
// add/sub/mul/real_div by a per-channel constant. Each of these is y = conv(x) * scale[c] + shift[c]
// per output channel c, so w'[c] = w[c] * scale[c] and b'[c] = b[c] * scale[c] + shift[c].
#include <cmath>
#include <map>
#include <optional>

#include "common/tensor.h"
#include "passes/all_passes.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

struct Affine {
    std::vector<double> scale, shift;  // one per output channel
};

// The per-channel values of a const broadcast against an output of `outShape` (channel axis 1):
// a scalar, or a tensor whose only non-1 dim lines up with the channel axis.
std::optional<std::vector<double>> perChannel(const Tensor& c, const Shape& outShape, int64_t channels) {
    if (c.dtype() == DType::String || c.rank() > static_cast<int64_t>(outShape.size())) return std::nullopt;
    const std::vector<double> v = c.toDoubles();
    if (c.numel() == 1) return std::vector<double>(static_cast<size_t>(channels), v[0]);
    const int64_t lead = static_cast<int64_t>(outShape.size()) - c.rank();
    for (int64_t k = 0; k < c.rank(); ++k) {
        const int64_t outAxis = lead + k;
        const int64_t d = c.shape()[k];
        if (outAxis == 1 ? (d != channels) : (d != 1)) return std::nullopt;
    }
    return v;
}

std::optional<std::vector<double>> vectorInput(const Operation& op, const std::string& name, int64_t channels,
                                               double dflt) {
    if (!op.hasInput(name)) return std::vector<double>(static_cast<size_t>(channels), dflt);
    const Tensor* t = constInput(op, name);
    if (!t || t->dtype() == DType::String || t->numel() != channels) return std::nullopt;
    return t->toDoubles();
}

class FuseConvBatchnorm : public Pass {
public:
    std::string name() const override { return "fuse_conv_batchnorm"; }

    bool run(Program& program, const PassContext& ctx) override {
        size_t fused = 0;
        std::map<Function*, std::vector<Operation*>> orphans;
        forEachBlock(program, [&](Block& block, Function& fn) {
            for (size_t i = 0; i < block.ops.size(); ++i) {
                Operation* conv = block.ops[i].get();
                if (conv->type != "conv" && conv->type != "conv_transpose") continue;
                // A conv can absorb a chain (conv -> batch_norm -> add ...): keep going while it does.
                while (fuseNext(program, fn, block, *conv, ctx, orphans[&fn])) ++fused;
            }
        });
        for (auto& [fn, ops] : orphans) eraseIfUnused(*fn, ops);
        return fused > 0;
    }

private:
    // Fuses the sole consumer of `conv` into it when possible; the ops it bypasses go to `orphans`.
    static bool fuseNext(Program& program, Function& fn, Block& block, Operation& conv, const PassContext& ctx,
                         std::vector<Operation*>& orphans) {
        Value* out = conv.output();
        const Tensor* weight = constInput(conv, "weight");
        if (!out || !weight || !isFloat(weight->dtype()) || weight->rank() < 3) return false;
        const Tensor* bias = constInput(conv, "bias");
        if (conv.hasInput("bias") && !bias) return false;
        const Tensor* groupsT = constInput(conv, "groups");
        if (conv.hasInput("groups") && !groupsT) return false;
        const int64_t groups = groupsT ? groupsT->scalarAsInt() : 1;
        const bool transposed = conv.type == "conv_transpose";
        const int64_t channels = transposed ? weight->shape()[1] * groups : weight->shape()[0];
        if (groups < 1 || out->type.rank() < 3 || out->type.shape[1] != channels) return false;

        Operation* next = soleUser(block, countUses(fn.body), out);
        if (!next || next->outputs.size() != 1 || next->output()->type != out->type) return false;
        std::optional<Affine> affine = affineOf(*next, out, channels);
        if (!affine) return false;
        for (size_t c = 0; c < affine->scale.size(); ++c)
            if (!std::isfinite(affine->scale[c]) || !std::isfinite(affine->shift[c])) return false;
        if (!canReplace(block, next->output(), out)) return false;

        // New weight: scale every element by its output channel's factor.
        std::vector<double> w = weight->toDoubles();
        const int64_t numel = weight->numel();
        const int64_t kernel = numel / (weight->shape()[0] * weight->shape()[1]);
        for (int64_t i = 0; i < numel; ++i) {
            int64_t oc;
            if (!transposed) {
                oc = i / (numel / channels);
            } else {
                // weight is [Cin, Cout/groups, k...]; group g of Cin feeds channels g*Cout/groups ...
                const int64_t inCh = i / (numel / weight->shape()[0]);
                const int64_t j = (i / kernel) % weight->shape()[1];
                oc = (inCh / (weight->shape()[0] / groups)) * weight->shape()[1] + j;
            }
            w[i] *= affine->scale[oc];
        }
        std::vector<double> b = bias ? bias->toDoubles() : std::vector<double>(static_cast<size_t>(channels), 0.0);
        if (static_cast<int64_t>(b.size()) != channels) return false;
        for (int64_t c = 0; c < channels; ++c) b[c] = b[c] * affine->scale[c] + affine->shift[c];

        const DType dt = weight->dtype();
        Value* newWeight = insertConst(program, block, fn.opset, &conv, fromDoubles(w, weight->shape(), dt),
                                       conv.name + "_weight", conv.prov);
        Value* newBias = insertConst(program, block, fn.opset, &conv, fromDoubles(b, {channels}, dt),
                                     conv.name + "_bias", conv.prov);
        for (auto& in : conv.inputs) {
            if (in.name != "weight" && in.name != "bias") continue;
            if (in.values.front()->producer) orphans.push_back(in.values.front()->producer);
            in.values = {in.name == "weight" ? newWeight : newBias};
        }
        if (!conv.hasInput("bias")) {
            // Declaration order: bias follows weight.
            auto it = conv.inputs.begin();
            while (it != conv.inputs.end() && it->name != "weight") ++it;
            conv.inputs.insert(it == conv.inputs.end() ? it : it + 1, OpInput{"bias", {newBias}});
        }
        replaceAllUses(fn.body, next->output(), out);
        note(ctx, "fuse_conv_batchnorm: folded " + describe(*next) + " into " + describe(conv));
        // `next` goes now, so the conv's next reader is its sole reader; its constants may follow.
        for (const auto& in : next->inputs)
            for (Value* v : in.values)
                if (v->producer && v != out) orphans.push_back(v->producer);
        eraseOp(block, next);
        return true;
    }

    static std::string describe(const Operation& op) {
        const std::string where = op.prov.empty() ? op.name : op.prov.describe();
        return op.type + " '" + where + "'";
    }

    static Tensor fromDoubles(const std::vector<double>& v, const Shape& shape, DType dt) {
        std::vector<float> f(v.begin(), v.end());
        return Tensor::fromFloats(f, shape, dt);
    }

    // y = out * scale + shift for the consumer `op` of `out`, per channel.
    static std::optional<Affine> affineOf(const Operation& op, const Value* out, int64_t channels) {
        const size_t n = static_cast<size_t>(channels);
        Affine a{std::vector<double>(n, 1.0), std::vector<double>(n, 0.0)};
        if (op.type == "batch_norm") {
            if (op.input("x") != out) return std::nullopt;
            auto mean = vectorInput(op, "mean", channels, 0.0), var = vectorInput(op, "variance", channels, 1.0),
                 gamma = vectorInput(op, "gamma", channels, 1.0), beta = vectorInput(op, "beta", channels, 0.0);
            const Tensor* epsT = constInput(op, "epsilon");
            if (!mean || !var || !gamma || !beta || (op.hasInput("epsilon") && !epsT)) return std::nullopt;
            const double eps = epsT ? epsT->scalarAsDouble() : 1e-5;
            for (size_t c = 0; c < n; ++c) {
                a.scale[c] = (*gamma)[c] / std::sqrt((*var)[c] + eps);
                a.shift[c] = (*beta)[c] - (*mean)[c] * a.scale[c];
            }
            return a;
        }
        const bool commutes = op.type == "add" || op.type == "mul";
        if (!commutes && op.type != "sub" && op.type != "real_div") return std::nullopt;
        const Value* x = op.input("x");
        const Value* y = op.input("y");
        const Value* other = x == out ? y : (commutes && y == out ? x : nullptr);
        if (!other || other == out || !other->constValue) return std::nullopt;
        auto c = perChannel(*other->constValue, out->type.shape, channels);
        if (!c) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
            if (op.type == "add") a.shift[i] = (*c)[i];
            else if (op.type == "sub") a.shift[i] = -(*c)[i];
            else if (op.type == "mul") a.scale[i] = (*c)[i];
            else a.scale[i] = 1.0 / (*c)[i];
        }
        return a;
    }
};

}  // namespace

std::unique_ptr<Pass> makeFuseConvBatchnorm() { return std::make_unique<FuseConvBatchnorm>(); }

}  // namespace cms::passes
