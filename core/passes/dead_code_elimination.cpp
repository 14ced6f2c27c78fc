// Removes ops whose results nothing reads. Block outputs count as reads; apart from writing a state
// (coreml_update_state) MIL ops have no side effects, so any other unread op (even one with nested blocks) can go.
#include <algorithm>

#include "passes/all_passes.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

class DeadCodeElimination : public Pass {
public:
    std::string name() const override { return "dead_code_elimination"; }

    bool run(Program& program, const PassContext& ctx) override {
        size_t removed = 0;
        for (auto& [fname, f] : program.functions) {
            UseCounts uses = countUses(f.body);
            removed += sweep(f.body, uses);
        }
        if (removed) note(ctx, "dead_code_elimination: removed " + std::to_string(removed) + " unused ops");
        return removed > 0;
    }

private:
    // Walks backwards so that removing a reader can free its producers in the same sweep.
    size_t sweep(Block& b, UseCounts& uses) {
        size_t removed = 0;
        for (size_t i = b.ops.size(); i-- > 0;) {
            Operation& op = *b.ops[i];
            // Writing a state is the one effect an op has besides its results.
            const bool dead = op.type != "coreml_update_state" &&
                              std::all_of(op.outputs.begin(), op.outputs.end(),
                                          [&](const Value* v) { return uses[v] == 0; });
            if (dead) {
                adjustUses(uses, op, -1);
                b.ops.erase(b.ops.begin() + static_cast<std::ptrdiff_t>(i));
                ++removed;
                continue;
            }
            for (auto& sub : op.blocks) removed += sweep(*sub, uses);
        }
        return removed;
    }
};

}  // namespace

std::unique_ptr<Pass> makeDeadCodeElimination() { return std::make_unique<DeadCodeElimination>(); }

}  // namespace cms::passes
