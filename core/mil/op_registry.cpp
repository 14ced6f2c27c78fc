#include "mil/op_registry.h"

#include <algorithm>

#include "common/error.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
[[noreturn]] void opError(const Operation& op, const std::string& message) {
    throw Error(ErrorKind::Conversion, "MIL op '" + op.name + "' (" + op.type + "): " + message,
                ErrorLocation{{}, op.prov.describe()},
                "this is a lowering problem for this source op; check its arguments and input shapes");
}
}  // namespace

const TensorType& InferContext::type(const std::string& name) const { return value(name).type; }

const Value& InferContext::value(const std::string& name) const {
    const auto* l = op_.inputList(name);
    if (!l || l->size() != 1) fail("input '" + name + "' is missing or is a list");
    return *l->front();
}

size_t InferContext::listSize(const std::string& name) const {
    const auto* l = op_.inputList(name);
    return l ? l->size() : 0;
}

const Value& InferContext::listValue(const std::string& name, size_t i) const {
    const auto* l = op_.inputList(name);
    if (!l || i >= l->size()) fail("input list '" + name + "' has no element " + std::to_string(i));
    return *(*l)[i];
}

bool InferContext::isConst(const std::string& name) const {
    const auto* l = op_.inputList(name);
    return l && l->size() == 1 && l->front()->isConst();
}

const Tensor& InferContext::constant(const std::string& name) const {
    const Value& v = value(name);
    if (!v.constValue) fail("input '" + name + "' must be a compile-time constant");
    return *v.constValue;
}

std::vector<int64_t> InferContext::ints(const std::string& name) const { return constant(name).toInts(); }
int64_t InferContext::intValue(const std::string& name) const { return constant(name).scalarAsInt(); }
double InferContext::floatValue(const std::string& name) const { return constant(name).scalarAsDouble(); }
bool InferContext::boolValue(const std::string& name) const { return constant(name).scalarAsInt() != 0; }
std::string InferContext::stringValue(const std::string& name) const {
    const Tensor& t = constant(name);
    if (t.dtype() != DType::String) fail("input '" + name + "' must be a string");
    return t.stringValue();
}

int64_t InferContext::axis(int64_t a, int64_t rank) const {
    const int64_t r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return r;
}

void InferContext::fail(const std::string& message) const { opError(op_, message); }

const OpRegistry& OpRegistry::instance() {
    static const OpRegistry registry = [] {
        OpRegistry r;
        registerAllOps(r);
        return r;
    }();
    return registry;
}

void OpRegistry::add(OpDecl decl) {
    auto& versions = decls_[decl.name];
    versions.push_back(std::move(decl));
    std::sort(versions.begin(), versions.end(), [](const OpDecl& a, const OpDecl& b) { return a.since < b.since; });
}

const OpDecl* OpRegistry::find(const std::string& name, Target target) const {
    auto it = decls_.find(name);
    if (it == decls_.end()) return nullptr;
    const OpDecl* best = nullptr;
    for (const auto& d : it->second)
        if (d.since <= target) best = &d;
    return best;
}

std::vector<std::string> OpRegistry::opNames(Target target) const {
    std::vector<std::string> out;
    for (const auto& [name, versions] : decls_)
        if (find(name, target)) out.push_back(name);
    return out;
}

void verifyOp(const Operation& op, Target target) {
    const OpDecl* decl = OpRegistry::instance().find(op.type, target);
    if (!decl) {
        const bool later = OpRegistry::instance().find(op.type, Target::iOS18) != nullptr;
        opError(op, later ? "this op needs a newer deployment target than " + targetName(target)
                          : "unknown MIL op type");
    }
    for (const auto& in : op.inputs) {
        auto it = std::find_if(decl->inputs.begin(), decl->inputs.end(), [&](const InputDecl& d) { return d.name == in.name; });
        if (it == decl->inputs.end()) opError(op, "has no input named '" + in.name + "'");
        if (!it->list && in.values.size() != 1) opError(op, "input '" + in.name + "' takes exactly one value");
        for (const Value* v : in.values) {
            if (!it->dtypes.empty() && std::find(it->dtypes.begin(), it->dtypes.end(), v->type.dtype) == it->dtypes.end())
                opError(op, "input '" + in.name + "' may not be of type " + dtypeName(v->type.dtype));
            if (it->mustBeConst && !v->isConst()) opError(op, "input '" + in.name + "' must be a compile-time constant");
        }
    }
    for (const auto& d : decl->inputs)
        if (!d.optional && !op.hasInput(d.name)) opError(op, "required input '" + d.name + "' is missing");
}

std::vector<TensorType> inferTypes(const Operation& op, Target target) {
    const OpDecl* decl = OpRegistry::instance().find(op.type, target);
    if (!decl) opError(op, "unknown MIL op type for " + targetName(target));
    return decl->infer(InferContext(op, target));
}

}  // namespace cms::mil
