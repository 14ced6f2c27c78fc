#include "passes/verify.h"

#include <set>
#include <string>

#include "common/error.h"
#include "mil/op_registry.h"

namespace cms::passes {

using namespace mil;

namespace {

[[noreturn]] void fail(const Operation* op, const std::string& message) {
    std::string what = op ? "MIL op '" + op->name + "' (" + op->type + "): " + message : message;
    throw Error(ErrorKind::Internal, "program check failed: " + what,
                ErrorLocation{{}, op ? op->prov.describe() : std::string()},
                "this is a converter bug; please report it with the model and settings used");
}

class Verifier {
public:
    explicit Verifier(Target target) : target_(target) {}

    void function(const Function& f) {
        for (const Value* v : f.inputs) define(nullptr, v);
        block(f.body, nullptr);
    }

private:
    void define(const Operation* op, const Value* v) {
        if (!v) fail(op, "has a null output");
        if (!names_.insert(v->name).second) fail(op, "value name '" + v->name + "' is defined twice");
        visible_.insert(v);
    }

    void block(const Block& b, const Operation* owner) {
        const std::set<const Value*> outer = visible_;
        for (const Value* v : b.inputs) define(owner, v);
        for (const auto& op : b.ops) operation(*op);
        for (const Value* v : b.outputs)
            if (!visible_.count(v)) fail(owner, "block output '" + (v ? v->name : "?") + "' is not defined in scope");
        visible_ = outer;  // values of a nested block are not visible after it
    }

    void operation(const Operation& op) {
        for (const auto& in : op.inputs)
            for (const Value* v : in.values)
                if (!v || !visible_.count(v))
                    fail(&op, "input '" + in.name + "' reads '" + (v ? v->name : "?") + "' before it is defined");
        try {
            verifyOp(op, target_);
        } catch (const Error& e) {
            fail(&op, e.message());
        }
        std::vector<TensorType> inferred;
        try {
            inferred = inferTypes(op, target_);
        } catch (const Error& e) {
            fail(&op, e.message());
        }
        if (inferred.size() != op.outputs.size())
            fail(&op, "has " + std::to_string(op.outputs.size()) + " outputs, its declaration infers " +
                          std::to_string(inferred.size()));
        for (size_t i = 0; i < inferred.size(); ++i) {
            const Value* out = op.outputs[i];
            if (!out) fail(&op, "has a null output");
            if (out->producer != &op) fail(&op, "output '" + out->name + "' names another producer");
            if (out->type != inferred[i])
                fail(&op, "output '" + out->name + "' is recorded as " + out->type.toString() + " but infers as " +
                              inferred[i].toString());
        }
        for (const auto& sub : op.blocks) block(*sub, &op);
        for (const Value* v : op.outputs) define(&op, v);
    }

    Target target_;
    std::set<std::string> names_;
    std::set<const Value*> visible_;
};

}  // namespace

void verifyProgram(const Program& program) {
    for (const auto& [name, f] : program.functions) Verifier(f.opset).function(f);
}

}  // namespace cms::passes
