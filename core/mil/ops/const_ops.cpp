// The const op: its value is an attribute, so it has no inputs; the builder sets its output type.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

void registerConstOps(OpRegistry& r) {
    r.add({"const", Target::iOS15, {}, [](const InferContext& ctx) {
               const Value* out = ctx.op().output();
               if (!out || !out->constValue) ctx.fail("const op without a value");
               return std::vector<TensorType>{TensorType{out->constValue->dtype(), out->constValue->shape()}};
           },
           "a constant tensor"});
}

}  // namespace cms::mil
