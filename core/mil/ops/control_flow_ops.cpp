// Control flow: cond (two branch blocks without inputs) and while_loop (a condition block and a
// body block, both taking the loop variables). Their results are the blocks' outputs, so type
// inference reads the nested blocks rather than the op's inputs.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kBool = {DType::Bool};

std::string str(size_t v) { return std::to_string(v); }

std::vector<TensorType> inferCond(const InferContext& ctx) {
    const TensorType& pred = ctx.type("pred");
    if (pred.rank() != 0) ctx.fail("pred must be a scalar bool, got " + pred.toString());
    const auto& blocks = ctx.op().blocks;
    if (blocks.size() != 2) ctx.fail("needs a true and a false block, has " + str(blocks.size()) + " block(s)");
    const Block& yes = *blocks[0];
    const Block& no = *blocks[1];
    if (!yes.inputs.empty() || !no.inputs.empty()) ctx.fail("its branch blocks take no inputs");
    if (yes.outputs.size() != no.outputs.size())
        ctx.fail("the true branch returns " + str(yes.outputs.size()) + " value(s), the false branch " +
                 str(no.outputs.size()));
    std::vector<TensorType> out;
    for (size_t i = 0; i < yes.outputs.size(); ++i) {
        const TensorType& a = yes.outputs[i]->type;
        const TensorType& b = no.outputs[i]->type;
        if (a != b)
            ctx.fail("output " + str(i) + " is " + a.toString() + " in the true branch but " + b.toString() +
                     " in the false branch");
        out.push_back(a);
    }
    return out;
}

std::vector<TensorType> inferWhileLoop(const InferContext& ctx) {
    const size_t n = ctx.listSize("loop_vars");
    if (n == 0) ctx.fail("needs at least one loop variable");
    const auto& blocks = ctx.op().blocks;
    if (blocks.size() != 2) ctx.fail("needs a condition and a body block, has " + str(blocks.size()) + " block(s)");
    const Block& condition = *blocks[0];
    const Block& body = *blocks[1];
    for (const Block* b : {&condition, &body}) {
        const char* which = b == &condition ? "condition" : "body";
        if (b->inputs.size() != n)
            ctx.fail(std::string("the ") + which + " block takes " + str(b->inputs.size()) + " input(s) for " + str(n) +
                     " loop variable(s)");
        for (size_t i = 0; i < n; ++i)
            if (b->inputs[i]->type != ctx.listValue("loop_vars", i).type)
                ctx.fail(std::string("the ") + which + " block's input " + str(i) + " is " + b->inputs[i]->type.toString() +
                         " but loop variable " + str(i) + " is " + ctx.listValue("loop_vars", i).type.toString());
    }
    if (condition.outputs.size() != 1 || condition.outputs[0]->type != TensorType{DType::Bool, {}})
        ctx.fail("the condition block must return one scalar bool");
    if (body.outputs.size() != n)
        ctx.fail("the body returns " + str(body.outputs.size()) + " value(s) for " + str(n) + " loop variable(s)");
    std::vector<TensorType> out;
    for (size_t i = 0; i < n; ++i) {
        const TensorType& t = body.outputs[i]->type;
        if (t != ctx.listValue("loop_vars", i).type)
            ctx.fail("loop variable " + str(i) + " changes type in the body: " + ctx.listValue("loop_vars", i).type.toString() +
                     " -> " + t.toString());
        out.push_back(t);
    }
    return out;
}
}  // namespace

void registerControlFlowOps(OpRegistry& r) {
    r.add({"cond", Target::iOS15, {{"pred", false, false, false, kBool}}, inferCond,
           "runs the true or the false block depending on a scalar bool and returns that block's outputs"});
    r.add({"while_loop", Target::iOS15, {{"loop_vars", false, true, false, {}}}, inferWhileLoop,
           "repeats the body block on the loop variables while the condition block returns true"});
}

}  // namespace cms::mil
