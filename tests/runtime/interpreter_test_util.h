#pragma once
// Builds small ML Programs, writes them as packages, reads them back and runs them through the
// interpreter: every interpreter test goes through the package reader, as real use does.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "mil/builder.h"
#include "package/package.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

namespace cms::test {

class ProgramMaker {
public:
    explicit ProgramMaker(mil::Target target = mil::Target::iOS15)
        : fn_(program_.addFunction("main", target)), b_(program_, fn_.body, target) {
        program_.target = target;
    }

    mil::Builder& b() { return b_; }
    mil::Program& program() { return program_; }
    mil::Value* input(const std::string& name, Shape shape, DType dtype = DType::Float32) {
        mil::Value* v = program_.newValueNamed(name, {dtype, std::move(shape)});
        fn_.inputs.push_back(v);
        return v;
    }
    mil::Value* floats(const std::vector<float>& v, Shape shape, DType dtype = DType::Float32) {
        return b_.constant(Tensor::fromFloats(v, std::move(shape), dtype), "c");
    }
    mil::Value* ints(const std::vector<int64_t>& v) { return b_.constInts(v, "i"); }
    mil::Value* str(const std::string& s) { return b_.constString(s, "s"); }
    mil::Value* flag(bool v) { return b_.constBool(v, "f"); }
    mil::Value* op(const std::string& type, std::vector<mil::OpInput> inputs, const std::string& name = "op") {
        return b_.add1(type, std::move(inputs), name);
    }
    void output(mil::Value* v) { fn_.body.outputs.push_back(v); }
    // An op added as written, without the registry's checks or inference (ops other tools may
    // write, or ops not declared for the builder).
    std::vector<mil::Value*> rawOp(const std::string& type, std::vector<mil::OpInput> inputs,
                                   const std::vector<mil::TensorType>& outputs, const std::string& name) {
        auto op = std::make_unique<mil::Operation>();
        op->type = type;
        op->name = program_.uniqueName(name);
        op->prov = b_.provenance();
        op->inputs = std::move(inputs);
        for (size_t i = 0; i < outputs.size(); ++i) {
            mil::Value* v = program_.newValue(op->name + (i ? "_" + std::to_string(i) : std::string()), outputs[i]);
            v->producer = op.get();
            op->outputs.push_back(v);
        }
        std::vector<mil::Value*> out = op->outputs;
        fn_.body.ops.push_back(std::move(op));
        return out;
    }
    mil::Value* tensor(const Tensor& t) { return b_.constant(t, "t"); }

    // Writes the package into `dir` and returns an interpreter over what was read back.
    runtime::Interpreter load(const ScratchDir& dir, const std::string& name = "model.mlpackage") {
        package::ModelDescription d;
        for (const mil::Value* v : fn_.inputs) d.inputs.push_back(feature(v));
        for (const mil::Value* v : fn_.body.outputs) d.outputs.push_back(feature(v));
        const std::string path = dir.path(name);
        package::writePackage(program_, d, path);
        return runtime::Interpreter::fromPackage(path);
    }

private:
    static package::FeatureDescription feature(const mil::Value* v) {
        package::FeatureDescription f;
        f.name = v->name;
        f.dtype = v->type.dtype;
        f.shape = v->type.shape;
        return f;
    }

    mil::Program program_;
    mil::Function& fn_;
    mil::Builder b_;
};

inline bool closeTo(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-5f) {
    if (got.size() != want.size()) return false;
    for (size_t i = 0; i < got.size(); ++i) {
        if (std::isinf(want[i]) || std::isnan(want[i])) {
            if (std::isnan(want[i]) != std::isnan(got[i]) || (std::isinf(want[i]) && got[i] != want[i])) return false;
            continue;
        }
        if (std::fabs(got[i] - want[i]) > tol * (1.0f + std::fabs(want[i]))) return false;
    }
    return true;
}

inline std::string listOf(const std::vector<float>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

#define CHECK_FLOATS(got, ...)                                                                    \
    do {                                                                                          \
        const std::vector<float> g_ = (got);                                                      \
        const std::vector<float> w_ = __VA_ARGS__;                                                \
        QVERIFY2(cms::test::closeTo(g_, w_),                                                      \
                 ("got " + cms::test::listOf(g_) + " want " + cms::test::listOf(w_)).c_str());    \
    } while (0)

}  // namespace cms::test
