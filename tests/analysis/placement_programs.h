#pragma once
// Hand-built ML Programs for the placement tests: a main function (iOS16, so fp16 inputs are allowed) with
// inputs, constant weights and the few ops the rules and the cost model are tried on.
#include <string>
#include <vector>

#include "mil/builder.h"

namespace cms::test {

class PlacementProgram {
public:
    PlacementProgram()
        : fn_(program_.addFunction("main", mil::Target::iOS16)), b_(program_, fn_.body, mil::Target::iOS16) {
        program_.target = mil::Target::iOS16;
    }
    mil::Builder& b() { return b_; }
    const mil::Program& program() const { return program_; }
    mil::Program take() { return std::move(program_); }
    const mil::Operation& last() const { return *fn_.body.ops.back(); }

    mil::Value* input(const std::string& name, Shape shape, DType dtype = DType::Float16) {
        program_.reserveName(name);
        mil::Value* v = program_.newValueNamed(name, {dtype, std::move(shape)});
        fn_.inputs.push_back(v);
        return v;
    }
    mil::Value* weights(Shape shape, DType dtype = DType::Float16) {
        return b_.constant(Tensor::zeros(dtype, std::move(shape)), "w");
    }
    // A same-padded convolution, with a bias when given.
    mil::Value* conv(mil::Value* x, mil::Value* w, std::vector<int64_t> dilations, const std::string& name,
                     mil::Value* bias = nullptr) {
        std::vector<mil::OpInput> in = {{"x", {x}}, {"weight", {w}}};
        if (bias) in.push_back({"bias", {bias}});
        for (mil::OpInput attr : std::vector<mil::OpInput>{{"strides", {b_.constInts({1, 1})}},
                                                           {"pad_type", {b_.constString("same")}},
                                                           {"pad", {b_.constInts({0, 0, 0, 0})}},
                                                           {"dilations", {b_.constInts(dilations)}},
                                                           {"groups", {b_.constInt(1)}}})
            in.push_back(attr);
        return b_.add1("conv", in, name);
    }
    mil::Value* matmul(mil::Value* x, mil::Value* y, const std::string& name, bool transposeY = false) {
        return b_.add1("matmul",
                       {{"x", {x}},
                        {"y", {y}},
                        {"transpose_x", {b_.constBool(false)}},
                        {"transpose_y", {b_.constBool(transposeY)}}},
                       name);
    }
    mil::Value* unary(const std::string& type, mil::Value* x, const std::string& name) {
        return b_.add1(type, {{"x", {x}}}, name);
    }
    // Channels 0..count-1 of x.
    mil::Value* gather(mil::Value* x, const std::string& name, int64_t count = 3) {
        std::vector<int64_t> indices;
        for (int64_t i = 0; i < count; ++i) indices.push_back(i);
        return b_.add1("gather", {{"x", {x}}, {"indices", {b_.constInts(indices)}}, {"axis", {b_.constInt(1)}}}, name);
    }
    void output(mil::Value* v) { fn_.body.outputs.push_back(v); }

private:
    mil::Program program_;
    mil::Function& fn_;
    mil::Builder b_;
};

}  // namespace cms::test
