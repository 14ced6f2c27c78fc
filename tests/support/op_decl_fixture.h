#pragma once
// Building single MIL ops against their declarations, for the type-inference tests of each op family.
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "mil/builder.h"

namespace cms::test {

// A main function for `target` to add ops to; type() returns what the declaration infers.
struct OpDeclFixture {
    explicit OpDeclFixture(mil::Target t) : target(t) {
        program.target = t;
        fn = &program.addFunction("main", t);
        builder = std::make_unique<mil::Builder>(program, fn->body, t);
    }
    mil::Value* input(mil::TensorType type) {
        mil::Value* v = program.newValue("x", std::move(type));
        fn->inputs.push_back(v);
        return v;
    }
    mil::Value* ints(std::vector<int64_t> v) { return builder->constInts(v); }
    mil::Value* bools(std::vector<bool> v) { return builder->constant(Tensor::fromBools(v, {int64_t(v.size())})); }
    std::vector<mil::TensorType> types(const std::string& op, std::vector<mil::OpInput> inputs) {
        std::vector<mil::TensorType> out;
        for (mil::Value* v : builder->add(op, std::move(inputs), op)) out.push_back(v->type);
        return out;
    }
    mil::TensorType type(const std::string& op, std::vector<mil::OpInput> inputs) {
        return types(op, std::move(inputs)).at(0);
    }
    // True when the declaration rejects the op (a cms::Error from the builder).
    bool fails(const std::string& op, std::vector<mil::OpInput> inputs) {
        try {
            builder->add(op, std::move(inputs), op);
        } catch (const Error&) {
            return true;
        }
        return false;
    }

    mil::Target target;
    mil::Program program;
    mil::Function* fn = nullptr;
    std::unique_ptr<mil::Builder> builder;
};

inline mil::TensorType fp32(Shape s) { return mil::TensorType{DType::Float32, std::move(s)}; }

}  // namespace cms::test

// Fails the test unless `stmt` throws a cms::Error of kind Conversion (a rejected op).
#define EXPECT_CONVERSION_ERROR(stmt)                                          \
    do {                                                                       \
        bool thrown_ = false;                                                  \
        try {                                                                  \
            stmt;                                                              \
        } catch (const cms::Error& e) {                                        \
            thrown_ = e.kind() == cms::ErrorKind::Conversion;                  \
        }                                                                      \
        QVERIFY2(thrown_, "expected a conversion error from: " #stmt);        \
    } while (0)
