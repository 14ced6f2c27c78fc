// States, from Core ML's definitions: read_state returns a copy of the tensor the state holds;
// coreml_update_state (write_state, then read_state) stores value in the state and returns it. The
// interpreter binds a state input to the state object's own tensor, so the write lasts beyond the run.
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {

std::vector<at::Tensor> readState(const KernelContext& c) { return {c.in("input").clone()}; }

std::vector<at::Tensor> updateState(const KernelContext& c) {
    const at::Tensor& state = c.in("state");
    const at::Tensor& value = c.in("value");
    if (!state.sizes().equals(value.sizes())) c.fail("the value's shape does not match the state's");
    // The state holds fp16 values (kept in fp32 like every runtime float): round what it stores.
    state.copy_(c.inputType("state").dtype == DType::Float16 ? value.to(at::kHalf).to(at::kFloat) : value);
    return {state.clone()};
}

}  // namespace

void registerStateKernels(KernelTable& t) {
    t["read_state"] = readState;
    t["coreml_update_state"] = updateState;
}

}  // namespace cms::runtime
