#include "mil/builder.h"

#include <algorithm>

#include "common/error.h"

namespace cms::mil {

Builder::Builder(Program& program, Block& block, Target target) : program_(program), block_(block), target_(target) {}

void Builder::setInsertBefore(const Operation* op) { insertBefore_ = op; }

Operation* Builder::insert(std::unique_ptr<Operation> op) {
    Operation* raw = op.get();
    if (!insertBefore_) {
        block_.ops.push_back(std::move(op));
        return raw;
    }
    auto it = std::find_if(block_.ops.begin(), block_.ops.end(), [&](const auto& o) { return o.get() == insertBefore_; });
    if (it == block_.ops.end()) throw Error(ErrorKind::Internal, "builder insertion point is not in its block");
    block_.ops.insert(it, std::move(op));
    return raw;
}

Value* Builder::constant(const Tensor& value, const std::string& nameHint) {
    Tensor stored = value;
    if (value.dtype() == DType::Int64) stored = value.castTo(DType::Int32);
    else if (value.dtype() == DType::Float64) stored = value.castTo(DType::Float32);
    auto op = std::make_unique<Operation>();
    op->type = "const";
    op->prov = prov_;
    Value* out = program_.newValue(nameHint, TensorType{stored.dtype(), stored.shape()});
    op->name = out->name;
    out->constValue = std::move(stored);
    out->producer = op.get();
    op->outputs.push_back(out);
    insert(std::move(op));
    return out;
}

Value* Builder::constInts(const std::vector<int64_t>& v, const std::string& nameHint) {
    return constant(Tensor::fromInts(v, {static_cast<int64_t>(v.size())}, DType::Int32), nameHint);
}

Value* Builder::constFloats(const std::vector<float>& v, const std::string& nameHint) {
    return constant(Tensor::fromFloats(v, {static_cast<int64_t>(v.size())}), nameHint);
}

std::vector<Value*> Builder::add(const std::string& type, std::vector<OpInput> inputs, const std::string& nameHint) {
    return addWithBlocks(type, std::move(inputs), {}, nameHint);
}

std::vector<Value*> Builder::addWithBlocks(const std::string& type, std::vector<OpInput> inputs,
                                           std::vector<std::unique_ptr<Block>> blocks, const std::string& nameHint) {
    auto op = std::make_unique<Operation>();
    op->type = type;
    op->inputs = std::move(inputs);
    op->blocks = std::move(blocks);
    op->prov = prov_;
    op->name = program_.uniqueName(nameHint);
    verifyOp(*op, target_);
    std::vector<TensorType> types = inferTypes(*op, target_);
    for (size_t i = 0; i < types.size(); ++i) {
        Value* v = i == 0 ? program_.newValueNamed(op->name, types[i])
                          : program_.newValue(op->name + "_" + std::to_string(i), types[i]);
        v->producer = op.get();
        op->outputs.push_back(v);
    }
    Operation* raw = insert(std::move(op));
    return raw->outputs;
}

}  // namespace cms::mil
