// States (iOS18): a function input of state type holds a tensor that persists across predictions.
// read_state copies it out; coreml_update_state writes a value into it and returns that value (the package
// stores it as write_state followed by read_state, as Core ML's loader expects).
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {

const TensorType& stateInput(const InferContext& ctx, const char* name) {
    const TensorType& t = ctx.type(name);
    if (!t.state) ctx.fail(std::string("'") + name + "' must be a state (a function input of state type), got " +
                           t.toString());
    return t;
}

TensorType wrapped(const TensorType& state) { return TensorType{state.dtype, state.shape}; }

}  // namespace

void registerStateOps(OpRegistry& r) {
    const std::vector<DType> elems = {DType::Float16, DType::Float32, DType::Int8,   DType::Int16,
                                      DType::Int32,   DType::UInt8,   DType::UInt16, DType::Bool};
    r.add({"read_state", Target::iOS18,
           {{"input", false, false, false, {}}},
           [](const InferContext& ctx) { return std::vector<TensorType>{wrapped(stateInput(ctx, "input"))}; },
           "the tensor a state holds"});
    r.add({"coreml_update_state", Target::iOS18,
           {{"state", false, false, false, {}}, {"value", false, false, false, elems}},
           [](const InferContext& ctx) {
               const TensorType inner = wrapped(stateInput(ctx, "state"));
               const TensorType& value = ctx.type("value");
               if (value.state) ctx.fail("'value' must be a tensor, not a state");
               if (value != inner)
                   ctx.fail("'value' " + value.toString() + " must have the type of the state's tensor " +
                            inner.toString());
               return std::vector<TensorType>{inner};
           },
           "writes value into the state and returns it"});
}

}  // namespace cms::mil
