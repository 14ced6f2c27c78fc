// MIL declarations of the vision/NN ops: output shapes as Core ML's type inference computes them
// (pad types, strides, dilations, groups, ceil_mode), opset re-versions, and rejected inputs.
#include "common/error.h"
#include "mil/builder.h"
#include "mil/op_registry.h"
#include "support/op_decl_fixture.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::mil;

namespace {

// A main function to build ops into, with helpers for inputs and constants.
struct Fixture {
    explicit Fixture(Target t = Target::iOS15) : target(t), fn(program.addFunction("main", t)), b(program, fn.body, t) {}
    Value* input(const std::string& name, Shape shape, DType dtype = DType::Float32) {
        Value* v = program.newValue(name, TensorType{dtype, std::move(shape)});
        fn.inputs.push_back(v);
        return v;
    }
    Value* weight(Shape shape, DType dtype = DType::Float32) {
        return b.constant(Tensor::zeros(dtype, std::move(shape)).castTo(dtype), "w");
    }
    Value* ints(std::vector<int64_t> v) { return b.constInts(v, "c"); }
    Value* str(const std::string& s) { return b.constString(s, "s"); }
    Value* flag(bool v) { return b.constBool(v, "f"); }
    Value* scalar(float v, DType dtype = DType::Float32) { return b.constant(Tensor::scalarFloat(v, dtype), "c"); }
    Shape shapeOf(const std::string& type, std::vector<OpInput> inputs) { return b.add1(type, std::move(inputs), "op")->type.shape; }

    Program program;
    Target target;
    Function& fn;
    Builder b;
};

}  // namespace

class TestVisionOpDecls : public QObject {
    Q_OBJECT
private slots:
    void convPadTypes() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 32, 32});
        Value* w = f.weight({8, 3, 3, 3});
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}}), (Shape{1, 8, 30, 30}));
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"pad_type", {f.str("valid")}}}), (Shape{1, 8, 30, 30}));
        // custom pad 1 on every side, stride 2: floor((32 + 2 - 3) / 2) + 1 = 16
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"pad_type", {f.str("custom")}},
                                    {"pad", {f.ints({1, 1, 1, 1})}}, {"strides", {f.ints({2, 2})}}}),
                 (Shape{1, 8, 16, 16}));
        // asymmetric custom pad: H gets 0+2, W gets 1+0
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"pad_type", {f.str("custom")}},
                                    {"pad", {f.ints({0, 2, 1, 0})}}}),
                 (Shape{1, 8, 32, 31}));
        // same: ceil(in / stride), also for odd sizes
        Value* odd = f.input("odd", {1, 3, 33, 17});
        QCOMPARE(f.shapeOf("conv", {{"x", {odd}}, {"weight", {w}}, {"pad_type", {f.str("same")}}, {"strides", {f.ints({2, 3})}}}),
                 (Shape{1, 8, 17, 6}));
    }
    void convSameLowerNeedsIOS16() {
        Fixture f15(Target::iOS15);
        Value* x = f15.input("x", {1, 3, 10, 10});
        EXPECT_CONVERSION_ERROR(f15.shapeOf("conv", {{"x", {x}}, {"weight", {f15.weight({4, 3, 2, 2})}}, {"pad_type", {f15.str("same_lower")}}}));
        Fixture f16(Target::iOS16);
        Value* y = f16.input("x", {1, 3, 10, 10});
        QCOMPARE(f16.shapeOf("conv", {{"x", {y}}, {"weight", {f16.weight({4, 3, 2, 2})}}, {"pad_type", {f16.str("same_lower")}}}),
                 (Shape{1, 4, 10, 10}));
    }
    void convDilationsAndStrides() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 32, 32});
        Value* w = f.weight({8, 3, 3, 3});
        // dilation 2 makes the 3x3 kernel span 5: 32 - 5 + 1 = 28
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"dilations", {f.ints({2, 2})}}}), (Shape{1, 8, 28, 28}));
        // dilation 3 with same padding keeps the size
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"dilations", {f.ints({3, 1})}}, {"pad_type", {f.str("same")}}}),
                 (Shape{1, 8, 32, 32}));
        // 1-D, stride 3: floor((10 - 3) / 3) + 1 = 3
        Value* x1 = f.input("x1", {2, 4, 10});
        QCOMPARE(f.shapeOf("conv", {{"x", {x1}}, {"weight", {f.weight({6, 4, 3})}}, {"strides", {f.ints({3})}}}), (Shape{2, 6, 3}));
        // 3-D with custom padding keeps 8x8x8
        Value* x3 = f.input("x3", {1, 2, 8, 8, 8});
        QCOMPARE(f.shapeOf("conv", {{"x", {x3}}, {"weight", {f.weight({4, 2, 3, 3, 3})}}, {"pad_type", {f.str("custom")}},
                                    {"pad", {f.ints({1, 1, 1, 1, 1, 1})}}}),
                 (Shape{1, 4, 8, 8, 8}));
    }
    void convGroups() {
        Fixture f;
        Value* x = f.input("x", {1, 8, 16, 16});
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {f.weight({16, 2, 3, 3})}}, {"groups", {f.b.constInt(4)}}}),
                 (Shape{1, 16, 14, 14}));
        // depthwise
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {f.weight({8, 1, 3, 3})}}, {"groups", {f.b.constInt(8)}}}),
                 (Shape{1, 8, 14, 14}));
        // weight dimension 1 must be C_in / groups
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {f.weight({16, 3, 3, 3})}}, {"groups", {f.b.constInt(4)}}}));
        // C_in must be divisible by groups
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {f.weight({9, 2, 3, 3})}}, {"groups", {f.b.constInt(3)}}}));
    }
    void convRejectsBadInputs() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 8, 8});
        Value* w = f.weight({4, 3, 3, 3});
        // bias with the wrong number of channels
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"bias", {f.weight({5})}}}));
        // kernel larger than the input
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {f.input("small", {1, 3, 2, 2})}}, {"weight", {w}}}));
        // strides of the wrong length
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"strides", {f.ints({2})}}}));
        // a computed weight cannot be dilated
        Value* dynW = f.input("dyn_w", {4, 3, 3, 3});
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {dynW}}}), (Shape{1, 4, 6, 6}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {dynW}}, {"dilations", {f.ints({2, 2})}}}));
        // pad_type must be const
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {x}}, {"weight", {w}}, {"strides", {f.input("s", {2}, DType::Int32)}}}));
        // integer inputs are not convolved
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv", {{"x", {f.input("xi", {1, 3, 8, 8}, DType::Int32)}}, {"weight", {w}}}));
    }
    void convWeightDtypeByOpset() {
        Fixture f15(Target::iOS15);
        Value* x = f15.input("x", {1, 3, 8, 8});
        EXPECT_CONVERSION_ERROR(f15.shapeOf("conv", {{"x", {x}}, {"weight", {f15.weight({4, 3, 3, 3}, DType::Float16)}}}));
        Fixture f17(Target::iOS17);
        Value* y = f17.input("x", {1, 3, 8, 8});
        Value* out = f17.b.add1("conv", {{"x", {y}}, {"weight", {f17.weight({4, 3, 3, 3}, DType::Float16)}}}, "c");
        QCOMPARE(out->type, (TensorType{DType::Float32, {1, 4, 6, 6}}));
        // weight and bias still share one dtype
        EXPECT_CONVERSION_ERROR(f17.shapeOf("conv", {{"x", {y}}, {"weight", {f17.weight({4, 3, 3, 3}, DType::Float16)}},
                                             {"bias", {f17.weight({4}, DType::Float32)}}}));
        QCOMPARE(OpRegistry::instance().find("conv", Target::iOS16)->since, Target::iOS15);
        QCOMPARE(OpRegistry::instance().find("conv", Target::iOS18)->since, Target::iOS17);
    }
    void convUnknownSpatialDimStaysUnknown() {
        Fixture f;
        Value* x = f.input("x", {1, 3, kUnknownDim, 20});
        QCOMPARE(f.shapeOf("conv", {{"x", {x}}, {"weight", {f.weight({4, 3, 3, 3})}}}), (Shape{1, 4, kUnknownDim, 18}));
    }
    void convTranspose() {
        Fixture f;
        Value* x = f.input("x", {1, 4, 8, 8});
        Value* w = f.weight({4, 2, 3, 3});
        // valid: (8 - 1) * 2 + 3 = 17
        QCOMPARE(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"strides", {f.ints({2, 2})}}}), (Shape{1, 2, 17, 17}));
        // custom pad 1 each side: 17 - 2 = 15; the end pad may be smaller (output_padding)
        QCOMPARE(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"strides", {f.ints({2, 2})}},
                                              {"pad_type", {f.str("custom")}}, {"pad", {f.ints({1, 0, 1, 1})}}}),
                 (Shape{1, 2, 16, 15}));
        // same: in * stride
        QCOMPARE(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"strides", {f.ints({2, 2})}}, {"pad_type", {f.str("same")}}}),
                 (Shape{1, 2, 16, 16}));
        // groups multiply the output channels; dilation widens the kernel
        QCOMPARE(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"groups", {f.b.constInt(2)}}, {"dilations", {f.ints({2, 2})}}}),
                 (Shape{1, 4, 12, 12}));
        QCOMPARE(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"output_shape", {f.ints({1, 2, 18, 18})}}}),
                 (Shape{1, 2, 18, 18}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {w}}, {"output_shape", {f.ints({1, 3, 18, 18})}}}));
        // iOS15 needs a const weight, iOS17 does not
        EXPECT_CONVERSION_ERROR(f.shapeOf("conv_transpose", {{"x", {x}}, {"weight", {f.input("dw", {4, 2, 3, 3})}}}));
        Fixture f17(Target::iOS17);
        QCOMPARE(f17.shapeOf("conv_transpose", {{"x", {f17.input("x", {1, 4, 8, 8})}}, {"weight", {f17.input("dw", {4, 2, 3, 3})}}}),
                 (Shape{1, 2, 10, 10}));
    }
    void poolShapes() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 7, 7});
        auto pool = [&](const std::string& type, std::vector<int64_t> k, std::vector<int64_t> s, const std::string& padType,
                        std::vector<int64_t> pad, bool ceil) {
            std::vector<OpInput> in = {{"x", {x}}, {"kernel_sizes", {f.ints(k)}}, {"strides", {f.ints(s)}},
                                       {"pad_type", {f.str(padType)}}, {"ceil_mode", {f.flag(ceil)}}};
            if (!pad.empty()) in.push_back({"pad", {f.ints(pad)}});
            return f.shapeOf(type, in);
        };
        QCOMPARE(pool("max_pool", {2, 2}, {2, 2}, "valid", {}, false), (Shape{1, 3, 3, 3}));
        QCOMPARE(pool("max_pool", {2, 2}, {2, 2}, "valid", {}, true), (Shape{1, 3, 4, 4}));
        QCOMPARE(pool("avg_pool", {3, 3}, {2, 2}, "same", {}, false), (Shape{1, 3, 4, 4}));
        QCOMPARE(pool("avg_pool", {3, 3}, {2, 2}, "custom", {1, 1, 1, 1}, false), (Shape{1, 3, 4, 4}));
        QCOMPARE(pool("l2_pool", {3, 1}, {1, 1}, "custom", {0, 0, 2, 2}, false), (Shape{1, 3, 5, 11}));
        // ceil_mode drops a last window that would start inside the padding, which can even make it
        // smaller than without ceil_mode: in 2, pad 1+1, kernel 1, stride 3 gives 1 (2 without ceil_mode)
        Value* x2 = f.input("x2", {1, 1, 2, 2});
        std::vector<OpInput> in = {{"x", {x2}}, {"kernel_sizes", {f.ints({1, 1})}}, {"strides", {f.ints({3, 3})}},
                                   {"pad_type", {f.str("custom")}}, {"pad", {f.ints({1, 1, 1, 1})}}, {"ceil_mode", {f.flag(true)}}};
        QCOMPARE(f.shapeOf("max_pool", in), (Shape{1, 1, 1, 1}));
        in.back() = {"ceil_mode", {f.flag(false)}};
        QCOMPARE(f.shapeOf("max_pool", in), (Shape{1, 1, 2, 2}));
        // upper-case pad types are accepted, as by Core ML
        QCOMPARE(pool("max_pool", {3, 3}, {1, 1}, "SAME", {}, false), (Shape{1, 3, 7, 7}));
    }
    void poolRejectsBadInputs() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 8, 8});
        Value* x3 = f.input("x3", {1, 3, 8, 8, 8});
        // ceil_mode: not with same padding, not with asymmetric padding, not in 3-D
        EXPECT_CONVERSION_ERROR(f.shapeOf("max_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2, 2})}}, {"pad_type", {f.str("same")}},
                                               {"ceil_mode", {f.flag(true)}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("avg_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2, 2})}}, {"pad_type", {f.str("custom")}},
                                               {"pad", {f.ints({0, 1, 0, 1})}}, {"ceil_mode", {f.flag(true)}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("avg_pool", {{"x", {x3}}, {"kernel_sizes", {f.ints({2, 2, 2})}}, {"strides", {f.ints({2, 2, 2})}},
                                               {"pad_type", {f.str("valid")}}, {"ceil_mode", {f.flag(true)}}}));
        QCOMPARE(f.shapeOf("avg_pool", {{"x", {x3}}, {"kernel_sizes", {f.ints({2, 2, 2})}}, {"strides", {f.ints({2, 2, 2})}},
                                        {"pad_type", {f.str("valid")}}}),
                 (Shape{1, 3, 4, 4, 4}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("l2_pool", {{"x", {x3}}, {"kernel_sizes", {f.ints({2, 2, 2})}}, {"pad_type", {f.str("valid")}}}));
        // pad_type is required, the kernel must match the spatial rank, and padding names are checked
        EXPECT_CONVERSION_ERROR(f.shapeOf("max_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2, 2})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("max_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2})}}, {"pad_type", {f.str("valid")}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("max_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2, 2})}}, {"pad_type", {f.str("reflect")}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("max_pool", {{"x", {x}}, {"kernel_sizes", {f.ints({2, 2})}}, {"pad_type", {f.str("same_lower")}}}));
    }
    void normalization() {
        Fixture f;
        Value* x = f.input("x", {2, 4, 5, 5});
        QCOMPARE(f.shapeOf("batch_norm", {{"x", {x}}, {"mean", {f.weight({4})}}, {"variance", {f.weight({4})}},
                                          {"gamma", {f.weight({4})}}, {"beta", {f.weight({4})}}, {"epsilon", {f.scalar(1e-5f)}}}),
                 (Shape{2, 4, 5, 5}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("batch_norm", {{"x", {x}}, {"mean", {f.weight({3})}}, {"variance", {f.weight({4})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("batch_norm", {{"x", {x}}, {"mean", {f.input("m", {4})}}, {"variance", {f.weight({4})}}}));
        // iOS15 parameters share x's dtype; iOS17 parameters only share their own
        EXPECT_CONVERSION_ERROR(f.shapeOf("batch_norm", {{"x", {x}}, {"mean", {f.weight({4}, DType::Float16)}},
                                                 {"variance", {f.weight({4}, DType::Float16)}}}));
        Fixture f17(Target::iOS17);
        Value* y = f17.input("x", {2, 4, 5, 5});
        QCOMPARE(f17.shapeOf("batch_norm", {{"x", {y}}, {"mean", {f17.weight({4}, DType::Float16)}},
                                            {"variance", {f17.weight({4}, DType::Float16)}}}),
                 (Shape{2, 4, 5, 5}));
        EXPECT_CONVERSION_ERROR(f17.shapeOf("batch_norm", {{"x", {y}}, {"mean", {f17.weight({4}, DType::Float16)}},
                                                   {"variance", {f17.weight({4}, DType::Float32)}}}));

        QCOMPARE(f.shapeOf("layer_norm", {{"x", {x}}, {"axes", {f.ints({-2, -1})}}, {"gamma", {f.weight({5, 5})}}}), (Shape{2, 4, 5, 5}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("layer_norm", {{"x", {x}}, {"axes", {f.ints({-1})}}, {"gamma", {f.weight({4})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("layer_norm", {{"x", {x}}, {"axes", {f.ints({4})}}}));
        QCOMPARE(f.shapeOf("instance_norm", {{"x", {x}}, {"gamma", {f.weight({4})}}, {"beta", {f.weight({4})}}}), (Shape{2, 4, 5, 5}));
        QCOMPARE(f.shapeOf("l2_norm", {{"x", {x}}}), (Shape{2, 4, 5, 5}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("l2_norm", {{"x", {f.input("v", {3, 4})}}}));
        QCOMPARE(f.shapeOf("local_response_norm", {{"x", {x}}, {"size", {f.b.constInt(3)}}}), (Shape{2, 4, 5, 5}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("local_response_norm", {{"x", {x}}}));
    }
    void linearAndMatmul() {
        Fixture f;
        Value* x = f.input("x", {2, 5, 16});
        QCOMPARE(f.shapeOf("linear", {{"x", {x}}, {"weight", {f.weight({10, 16})}}, {"bias", {f.weight({10})}}}), (Shape{2, 5, 10}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("linear", {{"x", {x}}, {"weight", {f.weight({10, 15})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("linear", {{"x", {x}}, {"weight", {f.weight({10, 16})}}, {"bias", {f.weight({16})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("linear", {{"x", {x}}, {"weight", {f.input("dw", {10, 16})}}}));

        QCOMPARE(f.shapeOf("matmul", {{"x", {f.input("a", {2, 1, 3, 4})}}, {"y", {f.input("b", {5, 4, 6})}}}), (Shape{2, 5, 3, 6}));
        QCOMPARE(f.shapeOf("matmul", {{"x", {f.input("c", {4, 3})}}, {"y", {f.input("d", {6, 4})}}, {"transpose_x", {f.flag(true)}},
                                      {"transpose_y", {f.flag(true)}}}),
                 (Shape{3, 6}));
        QCOMPARE(f.shapeOf("matmul", {{"x", {f.input("e", {4})}}, {"y", {f.input("g", {4})}}}), (Shape{}));
        QCOMPARE(f.shapeOf("matmul", {{"x", {f.input("h", {4})}}, {"y", {f.input("i", {2, 4, 3})}}}), (Shape{2, 3}));
        QCOMPARE(f.shapeOf("matmul", {{"x", {f.input("j", {3, 4})}}, {"y", {f.input("k", {4})}}}), (Shape{3}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("matmul", {{"x", {f.input("l", {3, 4})}}, {"y", {f.input("m", {5, 2})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("matmul", {{"x", {f.input("n", {4})}}, {"y", {f.input("o", {4, 2})}}, {"transpose_x", {f.flag(true)}}}));

        // iOS17: a const operand may keep its own dtype; the result takes the other operand's
        Fixture f17(Target::iOS17);
        Value* a = f17.input("a", {3, 4});
        QCOMPARE(f17.b.add1("matmul", {{"x", {a}}, {"y", {f17.weight({4, 2}, DType::Float16)}}}, "mm")->type,
                 (TensorType{DType::Float32, {3, 2}}));
        EXPECT_CONVERSION_ERROR(f17.shapeOf("matmul", {{"x", {a}}, {"y", {f17.input("b16", {4, 2}, DType::Float16)}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("matmul", {{"x", {f.input("p", {3, 4})}}, {"y", {f.weight({4, 2}, DType::Float16)}}}));
    }
    void einsum() {
        Fixture f;
        Value* a = f.input("a", {1, 2, 3, 4});
        Value* b = f.input("b", {1, 4, 3, 5});
        QCOMPARE(f.shapeOf("einsum", {{"values", {a, b}}, {"equation", {f.str("nchw,nwhr->nchr")}}}), (Shape{1, 2, 3, 5}));
        QCOMPARE(f.shapeOf("einsum", {{"values", {f.input("c", {2, 3, 4}), f.input("d", {4, 3, 6})}}, {"equation", {f.str("abc,cbd->abd")}}}),
                 (Shape{2, 3, 6}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("einsum", {{"values", {a, b}}, {"equation", {f.str("nchw,nwhr->nhcr")}}}));
    }
    void activations() {
        Fixture f;
        Value* x = f.input("x", {1, 3, 4, 4});
        for (const char* op : {"relu", "relu6", "sigmoid", "silu", "softplus", "softsign", "tanh", "gelu"})
            QCOMPARE(f.shapeOf(op, {{"x", {x}}}), (Shape{1, 3, 4, 4}));
        QCOMPARE(f.shapeOf("gelu", {{"x", {x}}, {"mode", {f.str("TANH_APPROXIMATION")}}}), (Shape{1, 3, 4, 4}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("gelu", {{"x", {x}}, {"mode", {f.str("tanh")}}}));
        QCOMPARE(f.shapeOf("sigmoid_hard", {{"x", {x}}, {"alpha", {f.scalar(1.0f / 6)}}, {"beta", {f.scalar(0.5f)}}}), (Shape{1, 3, 4, 4}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("sigmoid_hard", {{"x", {x}}, {"alpha", {f.scalar(0.2f, DType::Float16)}}, {"beta", {f.scalar(0.5f)}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("leaky_relu", {{"x", {x}}}));
        QCOMPARE(f.shapeOf("prelu", {{"x", {x}}, {"alpha", {f.b.constFloats({0.1f, 0.2f, 0.3f})}}}), (Shape{1, 3, 4, 4}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("prelu", {{"x", {x}}, {"alpha", {f.b.constFloats({0.1f, 0.2f})}}}));
        // rank 3 prelu needs one shared alpha value
        Value* x3 = f.input("x3", {1, 3, 4});
        EXPECT_CONVERSION_ERROR(f.shapeOf("prelu", {{"x", {x3}}, {"alpha", {f.b.constFloats({0.1f, 0.2f, 0.3f})}}}));
        QCOMPARE(f.shapeOf("prelu", {{"x", {x3}}, {"alpha", {f.b.constFloats({0.25f, 0.25f, 0.25f})}}}), (Shape{1, 3, 4}));
        QCOMPARE(f.shapeOf("softplus_parametric", {{"x", {x}}, {"alpha", {f.b.constFloats({1, 1, 1})}}, {"beta", {f.b.constFloats({2, 2, 2})}}}),
                 (Shape{1, 3, 4, 4}));
        // integer tensors are not activated
        EXPECT_CONVERSION_ERROR(f.shapeOf("sigmoid", {{"x", {f.input("xi", {3}, DType::Int32)}}}));
        // iOS17: alpha/beta in their own dtype
        Fixture f17(Target::iOS17);
        Value* y = f17.input("x", {1, 3, 4, 4});
        QCOMPARE(f17.shapeOf("sigmoid_hard", {{"x", {y}}, {"alpha", {f17.scalar(0.2f, DType::Float16)}}, {"beta", {f17.scalar(0.5f, DType::Float16)}}}),
                 (Shape{1, 3, 4, 4}));
        EXPECT_CONVERSION_ERROR(f17.shapeOf("sigmoid_hard", {{"x", {y}}, {"alpha", {f17.scalar(0.2f, DType::Float16)}}, {"beta", {f17.scalar(0.5f)}}}));
    }
    void clipOrderIsCheckedFromIOS17() {
        Fixture f15;
        Value* x = f15.input("x", {4});
        QCOMPARE(f15.shapeOf("clip", {{"x", {x}}, {"alpha", {f15.scalar(6)}}, {"beta", {f15.scalar(0)}}}), (Shape{4}));
        Fixture f17(Target::iOS17);
        Value* y = f17.input("x", {4});
        QCOMPARE(f17.shapeOf("clip", {{"x", {y}}, {"alpha", {f17.scalar(0)}}, {"beta", {f17.scalar(6)}}}), (Shape{4}));
        EXPECT_CONVERSION_ERROR(f17.shapeOf("clip", {{"x", {y}}, {"alpha", {f17.scalar(6)}}, {"beta", {f17.scalar(0)}}}));
    }
    void elementwise() {
        Fixture f;
        Value* a = f.input("a", {2, 1, 4});
        Value* b = f.input("b", {3, 1});
        for (const char* op : {"floor_div", "mod", "pow", "maximum", "minimum"})
            QCOMPARE(f.b.add1(op, {{"x", {a}}, {"y", {b}}}, "e")->type, (TensorType{DType::Float32, {2, 3, 4}}));
        for (const char* op : {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"})
            QCOMPARE(f.b.add1(op, {{"x", {a}}, {"y", {b}}}, "e")->type, (TensorType{DType::Bool, {2, 3, 4}}));
        Value* p = f.input("p", {2, 3}, DType::Bool);
        Value* q = f.input("q", {3}, DType::Bool);
        QCOMPARE(f.b.add1("logical_xor", {{"x", {p}}, {"y", {q}}}, "e")->type, (TensorType{DType::Bool, {2, 3}}));
        QCOMPARE(f.b.add1("logical_not", {{"x", {p}}}, "e")->type, (TensorType{DType::Bool, {2, 3}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("logical_and", {{"x", {a}}, {"y", {b}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("maximum", {{"x", {a}}, {"y", {f.input("n", {2, 5})}}}));
        EXPECT_CONVERSION_ERROR(f.shapeOf("pow", {{"x", {a}}, {"y", {f.input("i", {4}, DType::Int32)}}}));
        Value* ints = f.input("ints", {5}, DType::Int32);
        for (const char* op : {"abs", "sign", "square", "exp2"}) QCOMPARE(f.shapeOf(op, {{"x", {ints}}}), (Shape{5}));
        for (const char* op : {"exp", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "atanh", "erf",
                               "floor", "ceil", "round", "log", "rsqrt", "inverse"}) {
            QCOMPARE(f.shapeOf(op, {{"x", {a}}}), (Shape{2, 1, 4}));
            EXPECT_CONVERSION_ERROR(f.shapeOf(op, {{"x", {ints}}}));
        }
        QCOMPARE(f.shapeOf("threshold", {{"x", {ints}}, {"alpha", {f.b.constInt(2)}}}), (Shape{5}));
        // epsilon: x's dtype on iOS15, any float on iOS17
        EXPECT_CONVERSION_ERROR(f.shapeOf("rsqrt", {{"x", {a}}, {"epsilon", {f.scalar(1e-4f, DType::Float16)}}}));
        Fixture f17(Target::iOS17);
        QCOMPARE(f17.shapeOf("rsqrt", {{"x", {f17.input("a", {3})}}, {"epsilon", {f17.scalar(1e-4f, DType::Float16)}}}), (Shape{3}));
    }
};

QTEST_APPLESS_MAIN(TestVisionOpDecls)
#include "test_vision_op_decls.moc"
