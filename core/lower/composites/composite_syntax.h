#pragma once
// Parsers for the two text forms inside a composite file: the source op's schema and the
// expressions. Errors are cms::Error (Settings) located at the exact line and column.
#include <functional>
#include <memory>
#include <string>

#include "lower/composites/composite.h"

namespace cms::lower {

// Maps an offset in the parsed text to its place in the file.
using PosMap = std::function<SourcePos(size_t offset)>;

// "aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor"; the namespace defaults to aten::.
OpSchema parseSchema(const std::string& text, const PosMap& pos);
std::unique_ptr<Expr> parseExpression(const std::string& text, const PosMap& pos);
// "fp32[2,3,4]" or "int32[]"; throws at `pos` when malformed.
mil::TensorType parseTensorType(const std::string& text, const SourcePos& pos);

[[noreturn]] void compositeError(const SourcePos& pos, const std::string& message, const std::string& hint = {});

}  // namespace cms::lower
