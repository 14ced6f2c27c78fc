#pragma once
// TorchScript op schemas from libtorch's operator registry, for reports and composite templates
// ("aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor"). This header does not include libtorch.
#include <optional>
#include <string>
#include <vector>

namespace cms::frontends {

// Every registered overload of `kind` ("aten::hardshrink"), alias annotations removed, out= variants left out.
std::vector<std::string> torchOpSchemas(const std::string& kind);
// The overload a node with `inputCount` inputs and `outputCount` outputs most likely called; nullopt when
// the op is not registered in this process (e.g. a custom op defined from Python).
std::optional<std::string> torchOpSchemaFor(const std::string& kind, size_t inputCount, size_t outputCount);

}  // namespace cms::frontends
