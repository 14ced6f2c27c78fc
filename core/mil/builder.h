#pragma once
// Creates ops in a block: checks them against their declarations and infers output types.
#include <string>
#include <vector>

#include "mil/op_registry.h"

namespace cms::mil {

class Builder {
public:
    Builder(Program& program, Block& block, Target target);

    Program& program() { return program_; }
    Block& block() { return block_; }
    Target target() const { return target_; }

    // Provenance stamped on every op created until changed.
    void setProvenance(const ir::Provenance& p) { prov_ = p; }
    const ir::Provenance& provenance() const { return prov_; }
    // New ops go before `op` (which must be in this block); null appends at the end.
    void setInsertBefore(const Operation* op);

    // A `const` op. int64 values are stored as int32 and fp64 as fp32, as Core ML requires.
    Value* constant(const Tensor& value, const std::string& nameHint = "const");
    Value* constFloat(float v, const std::string& nameHint = "const") { return constant(Tensor::scalarFloat(v), nameHint); }
    Value* constInt(int64_t v, const std::string& nameHint = "const") { return constant(Tensor::scalarInt(v), nameHint); }
    Value* constBool(bool v, const std::string& nameHint = "const") { return constant(Tensor::scalarBool(v), nameHint); }
    Value* constString(const std::string& v, const std::string& nameHint = "const") { return constant(Tensor::string(v), nameHint); }
    Value* constInts(const std::vector<int64_t>& v, const std::string& nameHint = "const");
    Value* constFloats(const std::vector<float>& v, const std::string& nameHint = "const");

    // Adds an op of `type`; output names derive from `nameHint`. Returns the outputs.
    std::vector<Value*> add(const std::string& type, std::vector<OpInput> inputs, const std::string& nameHint);
    Value* add1(const std::string& type, std::vector<OpInput> inputs, const std::string& nameHint) {
        return add(type, std::move(inputs), nameHint).front();
    }
    // Adds an op with nested blocks (cond, while_loop), built beforehand: its type inference reads
    // the blocks' outputs.
    std::vector<Value*> addWithBlocks(const std::string& type, std::vector<OpInput> inputs,
                                      std::vector<std::unique_ptr<Block>> blocks, const std::string& nameHint);

private:
    Operation* insert(std::unique_ptr<Operation> op);

    Program& program_;
    Block& block_;
    Target target_;
    ir::Provenance prov_;
    const Operation* insertBefore_ = nullptr;
};

}  // namespace cms::mil
