#pragma once
// Our IR's value kind for a TorchScript type: shared by the graph translation and the archive outline,
// which must agree for their outlines to compare equal.
#include <ATen/core/jit_type.h>

#include "ir/graph.h"

namespace cms::frontends {

inline ir::ValueKind valueKindOf(const c10::TypePtr& type) {
    switch (type->kind()) {
        case c10::TypeKind::TensorType: return ir::ValueKind::Tensor;
        case c10::TypeKind::IntType: return ir::ValueKind::Int;
        case c10::TypeKind::FloatType: return ir::ValueKind::Float;
        case c10::TypeKind::BoolType: return ir::ValueKind::Bool;
        case c10::TypeKind::StringType: return ir::ValueKind::String;
        case c10::TypeKind::NoneType: return ir::ValueKind::None;
        case c10::TypeKind::DeviceObjType: return ir::ValueKind::Device;
        case c10::TypeKind::ListType: return ir::ValueKind::List;
        case c10::TypeKind::TupleType: return ir::ValueKind::Tuple;
        default: return ir::ValueKind::Other;
    }
}

}  // namespace cms::frontends
