// Cast cleanup: drops casts to the dtype a value already has, shortens cast chains that lose
// nothing (see cast_rules.h), and merges repeated casts of one value to one dtype in a block.
#include <algorithm>
#include <functional>
#include <map>
#include <utility>

#include "mil/builder.h"
#include "passes/all_passes.h"
#include "passes/cast_rules.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

class FoldCasts : public Pass {
public:
    std::string name() const override { return "fold_casts"; }

    bool run(Program& program, const PassContext& ctx) override {
        size_t removed = 0, shortened = 0, merged = 0;
        for (auto& [fname, f] : program.functions) {
            Function& fn = f;
            std::vector<Operation*> bypassed;
            std::function<void(Block&)> visit = [&](Block& block) {
                std::map<std::pair<const Value*, DType>, Value*> seen;  // first cast of a value to a dtype
                for (size_t i = 0; i < block.ops.size(); ++i) {
                    Operation* op = block.ops[i].get();
                    for (auto& sub : op->blocks) visit(*sub);
                    if (op->type != "cast" || !op->input("x")) continue;
                    if (std::find(bypassed.begin(), bypassed.end(), op) != bypassed.end()) continue;
                    Value* out = op->output();
                    Value* x = op->input("x");
                    const DType to = out->type.dtype;
                    if (x->type.dtype == to) {
                        if (canReplace(block, out, x)) {
                            replaceAllUses(fn.body, out, x);
                            bypassed.push_back(op);
                            ++removed;
                        }
                        continue;
                    }
                    Operation* inner = x->producer;
                    if (inner && inner->type == "cast" && inner->input("x") &&
                        castChainFoldable(inner->input("x")->type.dtype, x->type.dtype, to)) {
                        Value* origin = inner->input("x");
                        if (origin->type.dtype != to || canReplace(block, out, origin)) {
                            // A new cast lands just before `op`, so the loop visits it next.
                            Value* direct =
                                origin->type.dtype == to ? origin : castBefore(program, fn, block, *op, origin, to);
                            replaceAllUses(fn.body, out, direct);
                            bypassed.push_back(op);
                            ++shortened;
                            continue;
                        }
                    }
                    auto [it, fresh] = seen.emplace(std::make_pair(x, to), out);
                    if (!fresh && canReplace(block, out, it->second)) {
                        replaceAllUses(fn.body, out, it->second);
                        bypassed.push_back(op);
                        ++merged;
                    }
                }
            };
            visit(fn.body);
            eraseIfUnused(fn, bypassed);
        }
        if (removed) note(ctx, "fold_casts: removed " + std::to_string(removed) + " casts to the same dtype");
        if (shortened) note(ctx, "fold_casts: shortened " + std::to_string(shortened) + " chains of casts");
        if (merged) note(ctx, "fold_casts: merged " + std::to_string(merged) + " repeated casts");
        return removed + shortened + merged > 0;
    }

private:
    static Value* castBefore(Program& program, Function& fn, Block& block, const Operation& before, Value* x,
                             DType to) {
        Builder b(program, block, fn.opset);
        b.setInsertBefore(&before);
        b.setProvenance(before.prov);
        Value* dtype = b.constString(castDtypeName(to), x->name + "_dtype");
        return b.add1("cast", {{"x", {x}}, {"dtype", {dtype}}}, x->name + "_to_" + castDtypeName(to));
    }
};

}  // namespace

std::unique_ptr<Pass> makeFoldCasts() { return std::make_unique<FoldCasts>(); }

}  // namespace cms::passes
