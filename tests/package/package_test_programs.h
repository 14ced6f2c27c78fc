#pragma once
// Small programs and descriptions shared by the package tests.
#include "mil/builder.h"
#include "package/model_description.h"

namespace cms::test {

// main(x: fp32[1,3,4,4]) -> relu(add(x, w)) plus unused consts of every immediate encoding, with
// provenance on every op. `w` (48 elements) lands in the weight file under the default inline limit.
inline mil::Program smallProgram(mil::Target target) {
    mil::Program p;
    p.target = target;
    mil::Function& f = p.addFunction("main", target);
    mil::Value* x = p.newValueNamed("x", {DType::Float32, {1, 3, 4, 4}});
    f.inputs.push_back(x);
    mil::Builder b(p, f.body, target);
    b.setProvenance({"encoder.block", "Block", "aten::add", "model.py", 12});
    std::vector<float> wv(48);
    for (size_t i = 0; i < wv.size(); ++i) wv[i] = 0.25f * static_cast<float>(i) - 3.0f;
    mil::Value* w = b.constant(Tensor::fromFloats(wv, {1, 3, 4, 4}), "w");
    b.constant(Tensor::fromFloats(std::vector<float>(20, 1.5f), {4, 5}, DType::Float16), "big_half");
    b.constant(Tensor::fromFloats({0.5f, -2.0f}, {2}, DType::Float16), "small_half");
    b.constant(Tensor::fromInts({-7, 8, 9}, {3}, DType::Int8), "small_int8");
    b.constant(Tensor::fromInts(std::vector<int64_t>(16, -5), {16}, DType::Int8), "big_int8");
    b.constant(Tensor::fromInts({200, 1}, {2}, DType::UInt8), "small_uint8");
    b.constInts({1, -2, 3}, "ints");
    b.constant(Tensor::fromInts(std::vector<int64_t>(12, 300), {12}, DType::Int32), "big_ints");
    b.constBool(true, "flag");
    b.constant(Tensor::fromBools({true, false, true}, {3}), "flags");
    b.constString("same", "mode");
    b.constFloat(0.1f, "scalar");
    b.constant(Tensor::fromInts(std::vector<int64_t>(12, 5), {12}, DType::Int16), "big_int16");
    if (target >= mil::Target::iOS18) {  // sub-byte types arrived with iOS18
        b.constant(Tensor::fromInts({1, 2, 3, 4, 5}, {5}, DType::UInt4), "small_uint4");
        b.constant(Tensor::fromInts(std::vector<int64_t>(13, 6), {13}, DType::UInt4), "big_uint4");
        b.constant(Tensor::fromInts(std::vector<int64_t>(11, -3), {11}, DType::Int4), "big_int4");
    }
    b.setProvenance({"encoder.act", "ReLU", "aten::relu", "model.py", 13});
    mil::Value* y = b.add1("add", {{"x", {x}}, {"y", {w}}}, "add_0");
    mil::Value* z = b.add1("relu", {{"x", {y}}}, "relu_0");
    f.body.outputs.push_back(z);
    return p;
}

inline package::ModelDescription smallDescription() {
    package::ModelDescription d;
    package::FeatureDescription in;
    in.name = "x";
    in.shortDescription = "the input";
    in.shape = {1, 3, 4, 4};
    d.inputs.push_back(in);
    package::FeatureDescription out;
    out.name = "relu_0";
    out.shape = {1, 3, 4, 4};
    d.outputs.push_back(out);
    d.metadata.author = "Studio tests";
    d.metadata.license = "MIT";
    d.metadata.shortDescription = "a small test model";
    d.metadata.version = "1.2";
    d.metadata.userDefined = {{"com.coreml-studio.source", "model.pt"}, {"k", "v"}};
    return d;
}

}  // namespace cms::test
