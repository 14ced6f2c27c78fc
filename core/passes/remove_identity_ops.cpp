// Removes ops that return their input unchanged: identity, casts to the input's dtype, reshapes
// to the same shape, identity transposes and slices, reshape-like chains that end where they
// started, and transpose pairs that compose to the identity (other transpose pairs become one).
#include <algorithm>
#include <functional>
#include <optional>

#include "mil/builder.h"
#include "passes/all_passes.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

bool isReshapeLike(const std::string& type) { return type == "reshape" || type == "squeeze" || type == "expand_dims"; }

std::optional<std::vector<int64_t>> perm(const Operation& op) {
    const Tensor* p = constInput(op, "perm");
    if (!p) return std::nullopt;
    std::vector<int64_t> v = p->toInts();
    const int64_t rank = static_cast<int64_t>(v.size());
    for (int64_t& a : v) {
        if (a < 0) a += rank;
        if (a < 0 || a >= rank) return std::nullopt;
    }
    return v;
}

bool isIdentityPerm(const std::vector<int64_t>& p) {
    for (size_t i = 0; i < p.size(); ++i)
        if (p[i] != static_cast<int64_t>(i)) return false;
    return true;
}

bool allEqual(const Tensor* t, int64_t v) {
    if (!t) return false;
    for (int64_t x : t->toInts())
        if (x != v) return false;
    return true;
}

class RemoveIdentityOps : public Pass {
public:
    std::string name() const override { return "remove_identity_ops"; }

    bool run(Program& program, const PassContext& ctx) override {
        size_t removed = 0, merged = 0;
        for (auto& [fname, f] : program.functions) {
            Function& fn = f;
            std::vector<Operation*> orphans;
            forEachBlockOf(fn.body, [&](Block& block) {
                for (size_t i = 0; i < block.ops.size(); ++i) {
                    Operation* op = block.ops[i].get();
                    // Merging inserts ops before `op`, so it can come round again: once is enough.
                    if (std::find(orphans.begin(), orphans.end(), op) != orphans.end()) continue;
                    Value* source = passThroughSource(*op);
                    if (source && canReplace(block, op->output(), source)) {
                        replaceAllUses(fn.body, op->output(), source);
                        orphans.push_back(op);
                        ++removed;
                        continue;
                    }
                    if (mergeTransposes(program, fn, block, *op)) {
                        orphans.push_back(op);
                        ++merged;
                    }
                }
            });
            // Only ops we bypassed (and the chains above them) go; dead_code_elimination handles the rest.
            eraseIfUnused(fn, orphans);
        }
        if (removed)
            note(ctx,
                 "remove_identity_ops: removed " + std::to_string(removed) + " ops that do not change their input");
        if (merged) note(ctx, "remove_identity_ops: merged " + std::to_string(merged) + " pairs of transposes");
        return removed + merged > 0;
    }

private:
    static void forEachBlockOf(Block& b, const std::function<void(Block&)>& fn) {
        for (auto& op : b.ops)
            for (auto& sub : op->blocks) forEachBlockOf(*sub, fn);
        fn(b);
    }

    // The value `op` passes through unchanged, or null.
    static Value* passThroughSource(const Operation& op) {
        if (op.outputs.size() != 1) return nullptr;
        Value* x = op.input("x");
        const Value* out = op.output();
        if (!x) return nullptr;
        if (isReshapeLike(op.type)) {
            // Reshape-like ops never move data, so the end of a reshape/squeeze/expand_dims chain
            // that restores the shape the chain started from is that start. Unknown dims could
            // hide a permutation of sizes, hence static shapes only.
            if (!out->type.isStatic()) return nullptr;
            for (Value* v = x; v;) {
                if (v->type == out->type) return v;
                if (!v->producer || !isReshapeLike(v->producer->type)) break;
                v = v->producer->input("x");
            }
            return nullptr;
        }
        if (x->type != out->type) return nullptr;
        if (op.type == "identity" || op.type == "cast") return x;
        if (!x->type.isStatic()) return nullptr;
        if (op.type == "transpose") {
            auto p = perm(op);
            return p && isIdentityPerm(*p) ? x : nullptr;
        }
        if (op.type == "slice_by_index") {
            // Same shape with unit strides and no squeezed axes can only be the whole tensor.
            if (op.hasInput("stride") && !allEqual(constInput(op, "stride"), 1)) return nullptr;
            if (op.hasInput("squeeze_mask") && !allEqual(constInput(op, "squeeze_mask"), 0)) return nullptr;
            return x;
        }
        return nullptr;
    }

    // transpose(transpose(x, p1), p2) with a sole-use inner transpose: x itself when the two
    // cancel, otherwise one transpose by the composed permutation.
    static bool mergeTransposes(Program& program, Function& fn, Block& block, Operation& op) {
        if (op.type != "transpose") return false;
        Value* mid = op.input("x");
        if (!mid || !mid->producer || mid->producer->type != "transpose") return false;
        Operation& inner = *mid->producer;
        Value* x = inner.input("x");
        auto p1 = perm(inner), p2 = perm(op);
        if (!x || !p1 || !p2 || p1->size() != p2->size()) return false;
        std::vector<int64_t> composed(p2->size());
        for (size_t i = 0; i < composed.size(); ++i) composed[i] = (*p1)[(*p2)[i]];
        if (isIdentityPerm(composed)) {
            if (x->type != op.output()->type || !canReplace(block, op.output(), x)) return false;
            replaceAllUses(fn.body, op.output(), x);
            return true;
        }
        // A shared inner transpose stays anyway: merging would then add work, not remove it.
        if (!inRange(block, &inner) || countUses(fn.body)[mid] != 1) return false;
        Builder b(program, block, fn.opset);
        b.setInsertBefore(&op);
        b.setProvenance(op.prov);
        Value* p = b.constInts(composed, op.name + "_perm");
        Value* merged = b.add1("transpose", {{"x", {x}}, {"perm", {p}}}, op.name + "_merged");
        if (!canReplace(block, op.output(), merged)) return false;
        replaceAllUses(fn.body, op.output(), merged);
        return true;
    }

    static bool inRange(const Block& block, const Operation* op) {
        for (const auto& o : block.ops)
            if (o.get() == op) return true;
        return false;
    }
};

}  // namespace

std::unique_ptr<Pass> makeRemoveIdentityOps() { return std::make_unique<RemoveIdentityOps>(); }

}  // namespace cms::passes
