#pragma once
// A starter composite file for an op the converter cannot convert, prefilled with the op's
// schema and the input types seen in the model, for the user to complete (docs/composites.md).
#include <string>
#include <vector>

namespace cms::lower {

struct TemplateArg {
    std::string name;      // from the schema, or arg0, arg1 ... when the op has no known schema
    std::string type;      // schema type: Tensor, Scalar, int[] ...
    std::string seen;      // what the model passes: "fp32[1,3,8,8]" or a constant's value; may be empty
};

// `schema` is the op's TorchScript schema when known; otherwise one is made from `args`.
std::string compositeTemplate(const std::string& op, const std::string& schema, const std::vector<TemplateArg>& args,
                              const std::string& summary);

}  // namespace cms::lower
