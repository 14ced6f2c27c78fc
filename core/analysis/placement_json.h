#pragma once
// The JSON form of placement plans and comparisons (`coreml-cli plan --json`), for scripts and the studio.
// Every document carries the estimate note.
#include <string>

#include "analysis/decode_estimate.h"
#include "analysis/placement.h"
#include "analysis/placement_compare.h"

namespace cms::analysis {

// With `decode`, the document also carries the tokens-per-second estimate per chip profile ("decode").
std::string placementPlanToJson(const PlacementPlan& plan, const std::string& packagePath,
                                const std::vector<DecodeEstimate>& decode = {});
std::string planComparisonToJson(const PlanComparison& comparison, const PlacementPlan& before,
                                 const PlacementPlan& after, const std::string& beforePath,
                                 const std::string& afterPath);

}  // namespace cms::analysis
