#pragma once
// Factories of the passes, one per pass source file; pass.cpp names them in its registry.
#include <memory>

#include "passes/pass.h"

namespace cms::passes {

std::unique_ptr<Pass> makeDeadCodeElimination();
std::unique_ptr<Pass> makeConstantFolding();
std::unique_ptr<Pass> makeRemoveIdentityOps();
std::unique_ptr<Pass> makeFuseConvBatchnorm();
std::unique_ptr<Pass> makeFp16CastPlacement();
std::unique_ptr<Pass> makeFoldCasts();

}  // namespace cms::passes
