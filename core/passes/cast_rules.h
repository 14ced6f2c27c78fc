#pragma once
// Which chains of casts can be shortened without changing what reaches the consumer.
#include "common/dtype.h"

namespace cms::passes {

// cast(cast(x: from, via), to) may become cast(x, to) when the range and resolution the chain
// lets through equal those of the direct cast (so int32 -> fp32 -> fp16 folds, fp32 -> fp16 ->
// fp32 does not: the round trip through fp16 is a real loss of precision the model asked for).
bool castChainFoldable(DType from, DType via, DType to);
// The dtype spelled as MIL's cast op expects it ("fp16", "int32" ...).
inline std::string castDtypeName(DType t) { return dtypeName(t); }

}  // namespace cms::passes
