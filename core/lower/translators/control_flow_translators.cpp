// TorchScript control flow: prim::If, prim::Loop, the list ops loops use (aten::append, aten::list)
// and the pieces of scripted input checks (prim::RaiseException, aten::format, aten::__not__,
// prim::Uninitialized). A branch that only raises is a check Core ML cannot make: it is left out.
// A condition or trip count known at conversion time is resolved here: the taken branch is lowered
// in place and a loop is unrolled (up to kMaxUnrolledIterations). Otherwise the branch becomes MIL
// `cond` and the loop `while_loop`, whose nested blocks are lowered with their own builders.
#include <algorithm>
#include <limits>
#include <set>
#include <type_traits>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/lowering.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Beyond this many iterations a loop with a static trip count is kept as a while_loop.
constexpr int64_t kMaxUnrolledIterations = 256;

// Lists are mutated in place in TorchScript; lowering follows the mutation by rebinding the list
// value, which a run-time loop or branch cannot do. Lists mutated inside `block` but made outside it.
std::vector<const ir::Value*> outerListsMutated(const ir::Block& block) {
    std::set<const ir::Value*> defined(block.inputs.begin(), block.inputs.end());
    std::vector<const ir::Value*> out;
    std::vector<const ir::Block*> pending = {&block};
    std::vector<const ir::Node*> nodes;
    while (!pending.empty()) {
        const ir::Block* b = pending.back();
        pending.pop_back();
        for (const ir::Value* v : b->inputs) defined.insert(v);
        for (const ir::Node* n : b->nodes) {
            nodes.push_back(n);
            for (const ir::Value* v : n->outputs) defined.insert(v);
            for (const ir::Block* sub : n->blocks) pending.push_back(sub);
        }
    }
    for (const ir::Node* n : nodes)
        if ((n->kind == "aten::append" || n->kind == "aten::insert" || n->kind == "aten::_set_item" || n->kind == "aten::pop" ||
             n->kind == "aten::extend" || n->kind == "aten::clear") &&
            !n->inputs.empty() && !defined.count(n->inputs[0]))
            out.push_back(n->inputs[0]);
    return out;
}

void rejectOuterListMutation(LowerContext& ctx, const ir::Block& block, const char* construct) {
    const std::vector<const ir::Value*> lists = outerListsMutated(block);
    if (lists.empty()) return;
    ctx.fail(std::string("list '") + lists.front()->name + "' is changed inside a " + construct +
                 " that can only be decided at run time; Core ML programs cannot grow lists that way",
             "make the loop's trip count (or the branch condition) depend only on shapes and constants, so it "
             "can be unrolled at conversion time, or build the result with tensor ops (e.g. preallocate and index)");
}

// A rank-0 bool for a condition value.
mil::Value* scalarBool(LowerContext& ctx, const ir::Value* v, const std::string& name) {
    mil::Value* b = ctx.tensorAs(v, DType::Bool);
    if (b->type.rank() == 0) return b;
    if (!b->type.isStatic() || shapeNumel(b->type.shape) != 1)
        ctx.fail("the condition " + v->name + " has shape " + shapeText(b->type.shape) + "; it must hold one value");
    return ctx.builder().add1("reshape", {{"x", {b}}, {"shape", {ctx.builder().constInts({}, name + "_shape")}}}, name);
}

bool producedIn(const mil::Block& block, const mil::Value* v) {
    if (std::find(block.inputs.begin(), block.inputs.end(), v) != block.inputs.end()) return false;
    return std::any_of(block.ops.begin(), block.ops.end(), [&](const auto& op) { return op.get() == v->producer; });
}

// A block output must be computed in its block: an outer value (or a block input) is passed
// through an identity so every block ends in values of its own.
mil::Value* ownValue(mil::Builder& b, mil::Value* v, const std::string& name) {
    if (producedIn(b.block(), v)) return v;
    return b.add1("identity", {{"x", {v}}}, name);
}

// Both are the same number, string, list of numbers or None (tensors are never compared).
bool sameConstant(const Lowered& a, const Lowered& b) {
    if (a.tensor || b.tensor || a.isList || b.isList || !a.constant || !b.constant) return false;
    if (a.constant->index() != b.constant->index()) return false;
    return std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, Tensor>) return false;
            else return x == std::get<T>(*b.constant);
        },
        *a.constant);
}

bool raises(const ir::Block& b) {
    return std::any_of(b.nodes.begin(), b.nodes.end(), [](const ir::Node* n) { return n->kind == "prim::RaiseException"; });
}

// prim::If(cond) -> outputs, with a true and a false block.
void ifNode(LowerContext& ctx, const ir::Node& node) {
    if (node.blocks.size() != 2) ctx.fail("prim::If needs two blocks, has " + std::to_string(node.blocks.size()));
    const ir::Value* condition = node.inputs.at(0);
    const bool checkOnly = !ctx.isConstant(condition) && raises(*node.blocks[0]) != raises(*node.blocks[1]);
    if (checkOnly)  // a Core ML model cannot raise: the run-time check is left out, the other branch taken
        ctx.warnings().push_back(node.prov.describe() + ": the model's run-time check here (it raises when its condition is " +
                                 (raises(*node.blocks[0]) ? "true" : "false") + ") is left out of the Core ML model");
    if (ctx.isConstant(condition) || checkOnly) {
        const ir::Block& taken = *node.blocks[checkOnly ? (raises(*node.blocks[0]) ? 1 : 0) : ctx.boolArg(condition) ? 0 : 1];
        translateNodes(ctx, taken.nodes);
        std::vector<Lowered> results;
        for (const ir::Value* v : taken.outputs) results.push_back(ctx.lowered(v));
        for (size_t i = 0; i < node.outputs.size(); ++i) ctx.bindLowered(node.outputs[i], results.at(i));
        return;
    }
    for (const ir::Block* b : node.blocks) rejectOuterListMutation(ctx, *b, "branch");
    const std::string name = ctx.nameFor(node.outputs.empty() ? condition : node.outputs[0]);
    mil::Value* pred = scalarBool(ctx, condition, name + "_pred");

    struct Branch {
        std::unique_ptr<mil::Block> block = std::make_unique<mil::Block>();
        std::unique_ptr<mil::Builder> builder;
        std::vector<Lowered> results;
    };
    Branch branches[2];
    for (int k = 0; k < 2; ++k) {
        Branch& br = branches[k];
        br.builder = std::make_unique<mil::Builder>(ctx.program(), *br.block, ctx.target());
        br.builder->setProvenance(ctx.builder().provenance());
        LowerContext::Bindings saved = ctx.saveBindings();
        mil::Builder& outer = ctx.setBuilder(*br.builder);
        translateNodes(ctx, node.blocks[k]->nodes);
        for (const ir::Value* v : node.blocks[k]->outputs) {
            Lowered l = ctx.lowered(v);
            if (!l.tensor && l.constant && std::holds_alternative<Tensor>(*l.constant)) l.tensor = ctx.tensor(v);
            br.results.push_back(std::move(l));
        }
        ctx.setBuilder(outer);
        ctx.restoreBindings(std::move(saved));
    }
    // Outputs equal in both branches stay conversion-time values; the rest become cond outputs.
    std::vector<size_t> tensorOutputs;
    for (size_t i = 0; i < node.outputs.size(); ++i) {
        Lowered& a = branches[0].results.at(i);
        Lowered& b = branches[1].results.at(i);
        if (sameConstant(a, b)) {
            ctx.bindLowered(node.outputs[i], a);
            continue;
        }
        if (a.isList || b.isList)
            ctx.fail("output " + node.outputs[i]->name + " is a list that differs between the branches of a run-time condition",
                     "return tensors from both branches (e.g. torch.stack the list)");
        for (int k = 0; k < 2; ++k) {
            Lowered& l = branches[k].results.at(i);
            if (!l.tensor) {
                std::optional<Tensor> t = l.constant ? tensorOf(*l.constant) : std::nullopt;
                if (!t)
                    ctx.fail("output " + node.outputs[i]->name + " is " + (l.constant ? ir::constantToString(*l.constant) : "not a value") +
                             " in one branch of a run-time condition and cannot become a tensor");
                l.tensor = branches[k].builder->constant(*t, name + "_branch" + std::to_string(k) + "_" + std::to_string(i));
            }
        }
        if (a.tensor->type != b.tensor->type)
            ctx.fail("output " + node.outputs[i]->name + " is " + a.tensor->type.toString() + " in the true branch but " +
                         b.tensor->type.toString() + " in the false branch",
                     "Core ML's cond needs both branches to return the same dtype and shape");
        tensorOutputs.push_back(i);
    }
    if (tensorOutputs.empty()) return;  // nothing the model reads depends on the condition
    std::vector<std::unique_ptr<mil::Block>> blocks;
    for (int k = 0; k < 2; ++k) {
        for (size_t i : tensorOutputs)
            branches[k].block->outputs.push_back(
                ownValue(*branches[k].builder, branches[k].results[i].tensor, name + (k ? "_false_" : "_true_") + std::to_string(i)));
        blocks.push_back(std::move(branches[k].block));
    }
    std::vector<mil::Value*> outs = ctx.builder().addWithBlocks("cond", {{"pred", {pred}}}, std::move(blocks), name + "_cond");
    for (size_t j = 0; j < tensorOutputs.size(); ++j) ctx.bind(node.outputs[tensorOutputs[j]], outs[j]);
}

// Unrolls a loop whose trip count and conditions are all known at conversion time. Returns false
// (and leaves no trace) when a condition turns out to depend on run-time values or the loop runs
// longer than the unrolling limit.
bool unrollLoop(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* tripCount = node.inputs.at(0);
    const ir::Value* start = node.inputs.at(1);
    if (!ctx.isConstant(tripCount) || !ctx.isConstant(start)) return false;
    const int64_t trips = ctx.intArg(tripCount);
    bool running = ctx.boolArg(start);
    const ir::Block& body = *node.blocks.at(0);
    mil::Block& block = ctx.builder().block();
    const size_t mark = block.ops.size();
    LowerContext::Bindings saved = ctx.saveBindings();
    std::vector<Lowered> carried;
    for (size_t i = 2; i < node.inputs.size(); ++i) carried.push_back(ctx.lowered(node.inputs[i]));
    for (int64_t iteration = 0; running && iteration < trips; ++iteration) {
        if (iteration == kMaxUnrolledIterations) {
            block.ops.erase(block.ops.begin() + static_cast<std::ptrdiff_t>(mark), block.ops.end());
            ctx.restoreBindings(std::move(saved));
            return false;
        }
        ctx.bindConstant(body.inputs.at(0), iteration);
        for (size_t k = 0; k < carried.size(); ++k) ctx.bindLowered(body.inputs.at(k + 1), carried[k]);
        translateNodes(ctx, body.nodes);
        const ir::Value* next = body.outputs.at(0);
        if (!ctx.isConstant(next)) {
            block.ops.erase(block.ops.begin() + static_cast<std::ptrdiff_t>(mark), block.ops.end());
            ctx.restoreBindings(std::move(saved));
            return false;
        }
        running = ctx.boolArg(next);
        for (size_t k = 0; k < carried.size(); ++k) carried[k] = ctx.lowered(body.outputs.at(k + 1));
    }
    for (size_t k = 0; k < node.outputs.size(); ++k) ctx.bindLowered(node.outputs[k], carried.at(k));
    return true;
}

// A run-time loop: while_loop over (iteration, continue flag, carried values...). The condition
// block checks the trip count and the flag; the body runs torch's body and counts.
void whileLoop(LowerContext& ctx, const ir::Node& node) {
    const ir::Block& body = *node.blocks.at(0);
    rejectOuterListMutation(ctx, body, "loop");
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.empty() ? node.inputs[0] : node.outputs[0]);

    mil::Value* limit = nullptr;
    const ir::Value* tripCount = node.inputs.at(0);
    if (ctx.isConstant(tripCount)) {
        const int64_t n = std::min<int64_t>(ctx.intArg(tripCount), std::numeric_limits<int32_t>::max());
        limit = b.constInt(n, name + "_trip_count");
    } else {
        limit = ctx.tensorAs(tripCount, DType::Int32);
        if (limit->type.rank() != 0) ctx.fail("the loop's trip count must be a single integer");
    }
    std::vector<mil::Value*> initial = {b.constInt(0, name + "_iteration0"), scalarBool(ctx, node.inputs.at(1), name + "_start")};
    for (size_t i = 2; i < node.inputs.size(); ++i) {
        const Lowered& l = ctx.lowered(node.inputs[i]);
        if (l.isList || (!l.tensor && (!l.constant || !tensorOf(*l.constant))))
            ctx.fail("loop-carried value '" + node.inputs[i]->name + "' is not a tensor or number",
                     "a loop whose trip count is only known at run time can carry tensors and numbers only");
        initial.push_back(ctx.tensor(node.inputs[i]));
    }

    auto inputsLike = [&](const std::string& suffix) {
        std::vector<mil::Value*> in;
        for (size_t i = 0; i < initial.size(); ++i)
            in.push_back(ctx.program().newValue(name + suffix + std::to_string(i), initial[i]->type));
        return in;
    };

    // Condition block: iteration < trip count and the flag torch's body returned.
    auto condBlock = std::make_unique<mil::Block>();
    condBlock->inputs = inputsLike("_cond_in");
    {
        mil::Builder cb(ctx.program(), *condBlock, ctx.target());
        cb.setProvenance(b.provenance());
        mil::Value* below = cb.add1("less", {{"x", {condBlock->inputs[0]}}, {"y", {limit}}}, name + "_below_trip_count");
        condBlock->outputs.push_back(
            cb.add1("logical_and", {{"x", {below}}, {"y", {condBlock->inputs[1]}}}, name + "_continue"));
    }

    auto bodyBlock = std::make_unique<mil::Block>();
    bodyBlock->inputs = inputsLike("_body_in");
    mil::Builder bb(ctx.program(), *bodyBlock, ctx.target());
    bb.setProvenance(b.provenance());
    LowerContext::Bindings saved = ctx.saveBindings();
    mil::Builder& outer = ctx.setBuilder(bb);
    ctx.bind(body.inputs.at(0), bodyBlock->inputs[0]);
    for (size_t k = 1; k < body.inputs.size(); ++k) ctx.bind(body.inputs[k], bodyBlock->inputs.at(k + 1));
    translateNodes(ctx, body.nodes);
    mil::Value* nextIteration =
        bb.add1("add", {{"x", {bodyBlock->inputs[0]}}, {"y", {bb.constInt(1, name + "_one")}}}, name + "_next_iteration");
    bodyBlock->outputs.push_back(nextIteration);
    bodyBlock->outputs.push_back(ownValue(bb, scalarBool(ctx, body.outputs.at(0), name + "_flag"), name + "_next_flag"));
    for (size_t k = 1; k < body.outputs.size(); ++k) {
        const ir::Value* v = body.outputs[k];
        const Lowered& l = ctx.lowered(v);
        if (l.isList) ctx.fail("loop-carried value '" + v->name + "' becomes a list in the loop body");
        const mil::TensorType& want = initial.at(k + 1)->type;
        mil::Value* t = ctx.tensor(v);
        if (t->type.dtype != want.dtype && l.constant) t = ctx.tensorAs(v, want.dtype);
        if (t->type != want)
            ctx.fail("loop-carried value '" + node.inputs.at(k + 1)->name + "' changes from " + want.toString() + " to " +
                         t->type.toString() + " in the loop body",
                     "Core ML's while_loop needs every carried value to keep its dtype and shape; keep the shape fixed "
                     "(e.g. write into a preallocated tensor) or make the trip count static so the loop is unrolled");
        bodyBlock->outputs.push_back(ownValue(bb, t, name + "_next_" + std::to_string(k)));
    }
    ctx.setBuilder(outer);
    ctx.restoreBindings(std::move(saved));

    std::vector<std::unique_ptr<mil::Block>> blocks;
    blocks.push_back(std::move(condBlock));
    blocks.push_back(std::move(bodyBlock));
    std::vector<mil::Value*> outs = b.addWithBlocks("while_loop", {{"loop_vars", initial}}, std::move(blocks), name + "_loop");
    for (size_t k = 0; k < node.outputs.size(); ++k) ctx.bind(node.outputs[k], outs.at(k + 2));
}

// prim::Loop(max_trip_count, start_condition, carried...) with a body block
// (iteration, carried...) -> (continue_condition, carried...).
void loopNode(LowerContext& ctx, const ir::Node& node) {
    if (node.blocks.size() != 1 || node.inputs.size() < 2)
        ctx.fail("prim::Loop needs a trip count, a start condition and one body block");
    if (unrollLoop(ctx, node)) return;
    whileLoop(ctx, node);
}

// aten::append(list, item): TorchScript mutates the list in place, so the list value itself is
// rebound; the node's output (the same list) too.
void append(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* list = node.inputs.at(0);
    Lowered l;
    l.isList = true;
    l.items = elementsOf(ctx, list);
    l.items.push_back(ctx.lowered(node.inputs.at(1)));
    ctx.bindLowered(list, l);
    if (!node.outputs.empty()) ctx.bindLowered(node.outputs[0], l);
}

// prim::RaiseException(message[, class]) on a path taken at conversion time: the model raises for
// every input of the given shapes.
void raiseException(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* message = node.inputs.at(0);
    const bool known = ctx.isConstant(message) && std::holds_alternative<std::string>(ctx.constant(message));
    ctx.fail("the model raises an exception for the given input shapes" +
                 (known ? ": " + std::get<std::string>(ctx.constant(message)) : std::string()),
             "the model checks its inputs here; give --input shapes that the model accepts");
}

// aten::format(template, args...): exception messages. Values only known at run time print as "?".
void format(LowerContext& ctx, const ir::Node& node) {
    std::string text = ctx.isConstant(node.inputs.at(0)) ? ctx.stringArg(node.inputs[0]) : std::string("?");
    std::string out;
    size_t arg = 1, pos = 0;
    for (size_t open; (open = text.find("{}", pos)) != std::string::npos; pos = open + 2) {
        out += text.substr(pos, open - pos);
        const ir::Value* v = arg < node.inputs.size() ? node.inputs[arg++] : nullptr;
        out += v && ctx.isConstant(v) ? ir::constantToString(ctx.constant(v)) : "?";
    }
    ctx.bindConstant(node.outputs.at(0), out + text.substr(pos));
}

// aten::list(list): a copy, which lowering can share (lists are rebound when mutated).
void listCopy(LowerContext& ctx, const ir::Node& node) { ctx.bindLowered(node.outputs.at(0), ctx.lowered(node.inputs.at(0))); }

// aten::__not__(bool)
void logicalNot(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    if (ctx.isConstant(in)) {
        ctx.bindConstant(node.outputs.at(0), !ctx.boolArg(in));
        return;
    }
    emit(ctx, "logical_not", {{"x", {ctx.tensorAs(in, DType::Bool)}}}, node.outputs.at(0));
}

// prim::Uninitialized: the output of a branch that raises; nothing reads it on a path that runs.
void uninitialized(LowerContext& ctx, const ir::Node& node) { ctx.bindConstant(node.outputs.at(0), ir::NoneValue{}); }

}  // namespace

void registerControlFlowTranslators(TranslatorTable& t) {
    t.add({"prim::RaiseException"}, raiseException);
    t.add({"aten::format"}, format);
    t.add({"aten::list"}, listCopy);
    t.add({"aten::__not__"}, logicalNot);
    t.add({"prim::Uninitialized"}, uninitialized);
    t.add({"prim::If"}, ifNode);
    t.add({"prim::Loop"}, loopNode);
    t.add({"aten::append"}, append);
}

}  // namespace cms::lower
