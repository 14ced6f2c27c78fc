#pragma once
// Building small MIL programs and running single passes on them, for the pass tests.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "mil/builder.h"
#include "passes/pass.h"
#include "passes/verify.h"

namespace cms::test {

// A program with an empty main function for `target`, and a builder appending to it.
struct ProgramFixture {
    explicit ProgramFixture(mil::Target target = mil::Target::iOS15) : b(p, init(p, target), target) {}

    mil::Value* input(const std::string& name, mil::TensorType type) {
        mil::Value* v = p.newValue(name, std::move(type));
        p.main().inputs.push_back(v);
        return v;
    }
    void output(mil::Value* v) { p.main().body.outputs.push_back(v); }
    mil::Block& body() { return p.main().body; }

    mil::Program p;
    mil::Builder b;

private:
    static mil::Block& init(mil::Program& p, mil::Target target) {
        p.target = target;
        return p.addFunction("main", target).body;
    }
};

inline mil::TensorType fp32(Shape s) { return mil::TensorType{DType::Float32, std::move(s)}; }
inline mil::TensorType fp16(Shape s) { return mil::TensorType{DType::Float16, std::move(s)}; }

// Runs one pass and the program check that the pipeline runs after every pass.
inline bool runPass(mil::Program& p, const std::string& name, const passes::PassContext& ctx = {}) {
    auto pass = passes::createPass(name);
    if (!pass) throw std::runtime_error("no pass " + name);
    const bool changed = pass->run(p, ctx);
    passes::verifyProgram(p);
    return changed;
}

// Non-const op types of main's body, in order.
inline std::vector<std::string> opTypes(mil::Program& p) {
    std::vector<std::string> out;
    for (const auto& op : p.main().body.ops)
        if (op->type != "const") out.push_back(op->type);
    return out;
}

inline size_t countType(mil::Program& p, const std::string& type) {
    const auto& ops = p.main().body.ops;
    return static_cast<size_t>(std::count_if(ops.begin(), ops.end(), [&](const auto& op) { return op->type == type; }));
}

inline mil::Operation* firstOf(mil::Program& p, const std::string& type) {
    for (const auto& op : p.main().body.ops)
        if (op->type == type) return op.get();
    return nullptr;
}

inline std::vector<double> valuesOf(const mil::Value* v) {
    return v && v->constValue ? v->constValue->toDoubles() : std::vector<double>{};
}

}  // namespace cms::test
