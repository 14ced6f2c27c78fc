#include "passes/pass_utils.h"

#include <algorithm>
#include <set>

#include "common/log.h"
#include "mil/builder.h"

namespace cms::passes {

using namespace mil;

namespace {
void visitBlock(Block& b, Function& f, const std::function<void(Block&, Function&)>& fn) {
    for (auto& op : b.ops)
        for (auto& sub : op->blocks) visitBlock(*sub, f, fn);
    fn(b, f);
}

void addBlockUses(const Block& b, UseCounts& uses, int delta) {
    for (const auto& op : b.ops) adjustUses(uses, *op, delta);
    for (const Value* v : b.outputs) uses[v] += delta;
}
}  // namespace

void forEachBlock(Program& program, const std::function<void(Block&, Function&)>& fn) {
    for (auto& [name, f] : program.functions) visitBlock(f.body, f, fn);
}

void adjustUses(UseCounts& uses, const Operation& op, int delta) {
    for (const auto& in : op.inputs)
        for (const Value* v : in.values) uses[v] += delta;
    for (const auto& sub : op.blocks) addBlockUses(*sub, uses, delta);
}

UseCounts countUses(Block& root) {
    UseCounts uses;
    addBlockUses(root, uses, 1);
    return uses;
}

void eraseOp(Block& block, const Operation* op) {
    auto it = std::find_if(block.ops.begin(), block.ops.end(), [&](const auto& o) { return o.get() == op; });
    if (it != block.ops.end()) block.ops.erase(it);
}

size_t eraseIfUnused(Function& f, const std::vector<Operation*>& candidates) {
    if (candidates.empty()) return 0;
    UseCounts uses = countUses(f.body);
    std::set<const Operation*> dead;
    std::vector<Operation*> work(candidates.rbegin(), candidates.rend());
    while (!work.empty()) {
        Operation* op = work.back();
        work.pop_back();
        if (dead.count(op)) continue;
        const bool unused = op->type != "coreml_update_state" &&
            std::all_of(op->outputs.begin(), op->outputs.end(), [&](const Value* v) { return uses[v] == 0; });
        if (!unused) continue;
        dead.insert(op);
        adjustUses(uses, *op, -1);
        // Producers read only by this op die with it.
        for (const auto& in : op->inputs)
            for (Value* v : in.values)
                if (v->producer) work.push_back(v->producer);
    }
    size_t removed = 0;
    std::function<void(Block&)> sweep = [&](Block& b) {
        for (auto& op : b.ops)
            for (auto& sub : op->blocks) sweep(*sub);
        const size_t before = b.ops.size();
        b.ops.erase(
            std::remove_if(b.ops.begin(), b.ops.end(), [&](const auto& op) { return dead.count(op.get()) != 0; }),
            b.ops.end());
        removed += before - b.ops.size();
    };
    sweep(f.body);
    return removed;
}

bool canReplace(const Block& block, const Value* from, const Value* to) {
    if (from == to) return false;
    if (!isBlockOutput(block, from)) return true;
    return to->producer != nullptr && !isBlockOutput(block, to);
}

Operation* soleUser(Block& block, const UseCounts& uses, const Value* v) {
    auto it = uses.find(v);
    if (it == uses.end() || it->second != 1 || isBlockOutput(block, v)) return nullptr;
    for (auto& op : block.ops)
        for (const auto& in : op->inputs)
            for (const Value* x : in.values)
                if (x == v) return op.get();
    return nullptr;  // read from a nested block only
}

const Tensor* constInput(const Operation& op, const std::string& name) {
    const Value* v = op.input(name);
    return v && v->constValue ? &*v->constValue : nullptr;
}

Value* insertConst(Program& program, Block& block, Target target, const Operation* before, const Tensor& value,
                   const std::string& nameHint, const ir::Provenance& prov) {
    Builder b(program, block, target);
    b.setInsertBefore(before);
    b.setProvenance(prov);
    return b.constant(value, nameHint);
}

bool globMatch(const std::string& pattern, const std::string& text) {
    // Iterative wildcard match with backtracking to the last '*'.
    size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool matchesOpFilter(const std::string& entry, const Operation& op) {
    if (entry.empty()) return false;
    if (entry == op.type) return true;
    const std::string& path = op.prov.modulePath;
    if (path.empty()) return false;
    if (globMatch(entry, path)) return true;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
        if (globMatch(entry, path.substr(0, dot))) return true;
    return false;
}

void note(const PassContext& ctx, const std::string& line) {
    logger()->debug("{}", line);
    if (ctx.log) ctx.log->push_back(line);
}

}  // namespace cms::passes
