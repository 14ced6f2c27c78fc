#include "ir/nonfinite_constants.h"

#include <cmath>
#include <set>

namespace cms::ir {

std::vector<std::string> nonFiniteConstantWarnings(const Graph& graph) {
    std::vector<std::string> out;
    std::set<const Value*> seen;
    for (const Node* node : graph.allNodes()) {
        for (const Value* v : node->inputs) {
            if (!v->constant || !seen.insert(v).second) continue;
            const Tensor* t = std::get_if<Tensor>(&*v->constant);
            if (!t || !isFloat(t->dtype())) continue;
            size_t nan = 0, inf = 0;
            for (float x : t->toFloats()) {
                if (std::isnan(x)) ++nan;
                else if (std::isinf(x)) ++inf;
            }
            if (nan + inf == 0) continue;
            out.push_back("weight " + v->name + " " + shapeToString(t->shape()) + " read by " + node->prov.describe() +
                          " holds " + std::to_string(nan) + " NaN and " + std::to_string(inf) +
                          " infinite value(s): the outputs it reaches will be NaN or inf; check the model's training "
                          "or export");
        }
    }
    return out;
}

}  // namespace cms::ir
