#pragma once
// Internal to the interpreter: how one MIL op is executed on ATen tensors.
//
// Runtime representation: every float value (fp16 included) is an fp32 at::Tensor, integers of
// up to 32 bits are int32 (kInt), wider ones int64 (kLong), bools kBool. After each op the
// interpreter brings outputs to their declared dtype (fp16: rounded to half precision), so kernels
// compute in fp32 and never round themselves.
#include <ATen/ATen.h>

#include <map>
#include <string>
#include <vector>

#include "mil/program.h"

namespace cms::runtime {

// The runtime tensor type that represents values of `dtype`.
at::ScalarType runtimeScalarType(DType dtype);

class KernelContext {
public:
    KernelContext(const mil::Operation& op, mil::Target target, const std::vector<const at::Tensor*>& inputs)
        : op_(op), target_(target), inputs_(inputs) {}

    const mil::Operation& op() const { return op_; }
    mil::Target target() const { return target_; }  // the opset of the function being run
    bool has(const std::string& name) const;
    // The runtime value bound to the single-valued input `name` (required).
    const at::Tensor& in(const std::string& name) const;
    std::vector<at::Tensor> list(const std::string& name) const;
    const mil::TensorType& inputType(const std::string& name) const;
    const mil::TensorType& outputType(size_t i = 0) const { return op_.outputs.at(i)->type; }

    // Parameters (usually const inputs), read from the constant or the runtime value.
    std::string str(const std::string& name) const;
    std::string strOr(const std::string& name, const std::string& dflt) const { return has(name) ? str(name) : dflt; }
    std::vector<int64_t> ints(const std::string& name) const;
    std::vector<int64_t> intsOr(const std::string& name, std::vector<int64_t> dflt) const {
        return has(name) ? ints(name) : dflt;
    }
    int64_t intValue(const std::string& name) const;
    int64_t intOr(const std::string& name, int64_t dflt) const { return has(name) ? intValue(name) : dflt; }
    double floatValue(const std::string& name) const;
    double floatOr(const std::string& name, double dflt) const { return has(name) ? floatValue(name) : dflt; }
    bool boolOr(const std::string& name, bool dflt) const;
    // Normalises a possibly negative axis, failing with the op's name when out of range.
    int64_t axis(int64_t a, int64_t rank) const;

    [[noreturn]] void fail(const std::string& message) const;

private:
    const mil::Value* value(const std::string& name) const;
    size_t slot(const std::string& name) const;

    const mil::Operation& op_;
    mil::Target target_;
    const std::vector<const at::Tensor*>& inputs_;  // one entry per bound value, in op input order
};

// Index values for gather/scatter-like kernels as int64 within [0, size): negatives count from the end
// before iOS17 and are out of bounds from iOS17 on, as Core ML defines; out-of-bounds values fail the op.
at::Tensor checkedIndices(const KernelContext& c, const at::Tensor& indices, int64_t size);

using Kernel = std::vector<at::Tensor> (*)(const KernelContext&);
using KernelTable = std::map<std::string, Kernel>;

// One registration function per kernel family (explicit, so the linker cannot drop them).
void registerElementwiseKernels(KernelTable& t);
void registerActivationKernels(KernelTable& t);
void registerNnKernels(KernelTable& t);
void registerTensorKernels(KernelTable& t);
void registerIndexKernels(KernelTable& t);
void registerReductionKernels(KernelTable& t);
void registerAttentionKernels(KernelTable& t);
void registerConstexprKernels(KernelTable& t);
void registerImageResizingKernels(KernelTable& t);
void registerPaddingKernels(KernelTable& t);
void registerRecurrentKernels(KernelTable& t);
void registerSliceUpdateKernels(KernelTable& t);
void registerRandomKernels(KernelTable& t);
void registerStateKernels(KernelTable& t);

const KernelTable& kernelTable();

// A tensor from a cms::Tensor in its runtime representation (copied; sub-byte types unpacked).
at::Tensor toRuntime(const Tensor& t);
// A cms::Tensor of `dtype` from a runtime tensor, borrowing its storage where the layouts agree.
Tensor fromRuntime(const at::Tensor& t, DType dtype);
// Brings a kernel result to the runtime form of `dtype`: fp16 rounded to half precision, narrow
// integers wrapped to their width.
at::Tensor conformTo(const at::Tensor& t, DType dtype);

}  // namespace cms::runtime
