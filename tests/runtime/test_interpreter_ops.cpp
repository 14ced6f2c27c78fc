// Interpreter op semantics on hand-built packages, against hand-computed values (or, for
// convolution, a direct loop over the definition).
#include <limits>

#include "interpreter_test_util.h"

using namespace cms;
using cms::test::ProgramMaker;

namespace {

std::vector<float> iota(int64_t n, float start = 0.0f, float step = 1.0f) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = start + step * static_cast<float>(i);
    return v;
}

std::map<std::string, Tensor> runOne(ProgramMaker& m, const test::ScratchDir& dir,
                                     const std::map<std::string, Tensor>& inputs) {
    return m.load(dir).run(inputs);
}

// Direct 2-D convolution over the definition: explicit (before, after) padding per dimension.
std::vector<float> referenceConv(const std::vector<float>& x, Shape xs, const std::vector<float>& w, Shape ws,
                                 const std::vector<float>& bias, int64_t groups, std::vector<int64_t> stride,
                                 std::vector<int64_t> dil, std::vector<int64_t> pad, Shape& outShape) {
    const int64_t n = xs[0], cin = xs[1], h = xs[2], wd = xs[3];
    const int64_t cout = ws[0], cpg = ws[1], kh = ws[2], kw = ws[3];
    const int64_t oh = (h + pad[0] + pad[1] - (kh - 1) * dil[0] - 1) / stride[0] + 1;
    const int64_t ow = (wd + pad[2] + pad[3] - (kw - 1) * dil[1] - 1) / stride[1] + 1;
    outShape = {n, cout, oh, ow};
    std::vector<float> out(static_cast<size_t>(n * cout * oh * ow));
    const int64_t coutPerGroup = cout / groups;
    for (int64_t b = 0; b < n; ++b)
        for (int64_t o = 0; o < cout; ++o)
            for (int64_t y = 0; y < oh; ++y)
                for (int64_t xw = 0; xw < ow; ++xw) {
                    double acc = bias.empty() ? 0.0 : bias[static_cast<size_t>(o)];
                    const int64_t g = o / coutPerGroup;
                    for (int64_t ci = 0; ci < cpg; ++ci)
                        for (int64_t i = 0; i < kh; ++i)
                            for (int64_t j = 0; j < kw; ++j) {
                                const int64_t iy = y * stride[0] + i * dil[0] - pad[0];
                                const int64_t ix = xw * stride[1] + j * dil[1] - pad[2];
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                const int64_t c = g * cpg + ci;
                                acc += x[static_cast<size_t>(((b * cin + c) * h + iy) * wd + ix)] *
                                       w[static_cast<size_t>(((o * cpg + ci) * kh + i) * kw + j)];
                            }
                    out[static_cast<size_t>(((b * cout + o) * oh + y) * ow + xw)] = static_cast<float>(acc);
                }
    (void)cin;
    return out;
}

}  // namespace

class TestInterpreterOps : public QObject {
    Q_OBJECT
private slots:
    void elementwiseBroadcasting() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2, 3});
        mil::Value* y = m.floats({10, 20, 30}, {3});
        m.output(m.op("add", {{"x", {x}}, {"y", {y}}}, "sum"));
        m.output(m.op("mul", {{"x", {x}}, {"y", {m.floats({2}, {1, 1})}}}, "twice"));
        m.output(m.op("floor_div", {{"x", {x}}, {"y", {m.floats({-4}, {})}}}, "fdiv"));
        m.output(m.op("mod", {{"x", {x}}, {"y", {m.floats({-4}, {})}}}, "modulo"));
        mil::Value* less = m.op("less", {{"x", {x}}, {"y", {y}}}, "lt");
        m.output(m.op("cast", {{"x", {less}}, {"dtype", {m.str("int32")}}}, "lt_int"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({-7, 1, 35, 4, 25, 60}, {2, 3})}});
        CHECK_FLOATS(out.at("sum").toFloats(), {3, 21, 65, 14, 45, 90});
        QCOMPARE(out.at("twice").shape(), (Shape{2, 3}));
        CHECK_FLOATS(out.at("twice").toFloats(), {-14, 2, 70, 8, 50, 120});
        // floor(-7 / -4) = 1, floor(1 / -4) = -1; mod takes the divisor's sign.
        CHECK_FLOATS(out.at("fdiv").toFloats(), {1, -1, -9, -1, -7, -15});
        CHECK_FLOATS(out.at("modulo").toFloats(), {-3, -3, -1, 0, -3, 0});
        QCOMPARE(out.at("lt_int").dtype(), DType::Int32);
        QCOMPARE(out.at("lt_int").toInts(), (std::vector<int64_t>{1, 1, 0, 1, 0, 0}));
    }

    void unaryAndEpsilonOps() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {4});
        m.output(m.op("rsqrt", {{"x", {x}}, {"epsilon", {m.floats({0.0f}, {})}}}, "rs"));
        m.output(m.op("inverse", {{"x", {x}}}, "inv"));
        m.output(m.op("round", {{"x", {m.op("mul", {{"x", {x}}, {"y", {m.floats({0.5f}, {})}}}, "half")}}}, "rnd"));
        m.output(m.op("clip", {{"x", {x}}, {"alpha", {m.floats({1.5f}, {})}}, {"beta", {m.floats({3.0f}, {})}}}, "clp"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({1, 4, 5, 16}, {4})}});
        CHECK_FLOATS(out.at("rs").toFloats(), {1, 0.5f, 1.0f / std::sqrt(5.0f), 0.25f});
        CHECK_FLOATS(out.at("inv").toFloats(), {1 / 1.0001f, 1 / 4.0001f, 1 / 5.0001f, 1 / 16.0001f});
        // 0.5 -> 0, 2.5 -> 2 (halves go to even), 8 -> 8.
        CHECK_FLOATS(out.at("rnd").toFloats(), {0, 2, 2, 8});
        CHECK_FLOATS(out.at("clp").toFloats(), {1.5f, 3, 3, 3});
    }

    void convolutionWithPaddingGroupsAndDilation() {
        struct Case {
            std::string padType;
            std::vector<int64_t> pad, strides, dilations;
            int64_t groups;
            std::vector<int64_t> explicitPad;  // (top, bottom, left, right) the reference applies
        };
        const std::vector<Case> cases = {
            {"custom", {1, 2, 0, 1}, {1, 1}, {1, 1}, 1, {1, 2, 0, 1}},
            {"valid", {}, {1, 1}, {2, 2}, 2, {0, 0, 0, 0}},
            // 5 wide, kernel 3, stride 2: out 3, total pad 2 -> 1 / 1; 6 high: out 3, total 1 -> 0 / 1.
            {"same", {}, {2, 2}, {1, 1}, 2, {0, 1, 1, 1}},
            {"custom", {2, 2, 2, 2}, {1, 2}, {2, 1}, 4, {2, 2, 2, 2}},
        };
        for (const Case& k : cases) {
            test::ScratchDir dir;
            ProgramMaker m(mil::Target::iOS16);
            const Shape xs = {1, 4, 6, 5};
            const int64_t cout = 4;
            const Shape ws = {cout, 4 / k.groups, 3, 3};
            std::vector<float> xv = iota(shapeNumel(xs), -3.0f, 0.37f);
            std::vector<float> wv = iota(shapeNumel(ws), 1.0f, -0.05f);
            std::vector<float> bias = {0.5f, -1.0f, 2.0f, 0.25f};
            mil::Value* x = m.input("x", xs);
            std::vector<mil::OpInput> in = {{"x", {x}},
                                            {"weight", {m.floats(wv, ws)}},
                                            {"bias", {m.floats(bias, {cout})}},
                                            {"strides", {m.ints(k.strides)}},
                                            {"pad_type", {m.str(k.padType)}},
                                            {"dilations", {m.ints(k.dilations)}},
                                            {"groups", {m.b().constInt(k.groups, "g")}}};
            if (!k.pad.empty()) in.push_back({"pad", {m.ints(k.pad)}});
            m.output(m.op("conv", in, "y"));
            Shape outShape;
            const std::vector<float> want =
                referenceConv(xv, xs, wv, ws, bias, k.groups, k.strides, k.dilations, k.explicitPad, outShape);
            const auto out = runOne(m, dir, {{"x", Tensor::fromFloats(xv, xs)}});
            QCOMPARE(out.at("y").shape(), outShape);
            CHECK_FLOATS(out.at("y").toFloats(), want);
        }
    }

    void poolingWithCeilModeAndPadding() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {1, 1, 5, 5});
        const auto pool = [&](const std::string& type, const std::string& padType, std::vector<int64_t> pad, bool ceil,
                              const std::string& name, std::vector<mil::OpInput> extra = {}) {
            std::vector<mil::OpInput> in = {{"x", {x}},
                                            {"kernel_sizes", {m.ints({2, 2})}},
                                            {"strides", {m.ints({2, 2})}},
                                            {"pad_type", {m.str(padType)}},
                                            {"pad", {m.ints(pad)}},
                                            {"ceil_mode", {m.flag(ceil)}}};
            in.insert(in.end(), extra.begin(), extra.end());
            m.output(m.op(type, in, name));
        };
        pool("max_pool", "valid", {0, 0, 0, 0}, false, "max_floor");
        pool("max_pool", "valid", {0, 0, 0, 0}, true, "max_ceil");
        pool("avg_pool", "custom", {1, 1, 1, 1}, false, "avg_incl",
             {{"exclude_padding_from_average", {m.flag(false)}}});
        pool("avg_pool", "custom", {1, 1, 1, 1}, false, "avg_excl",
             {{"exclude_padding_from_average", {m.flag(true)}}});
        // x[i][j] = 5i + j
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats(iota(25), {1, 1, 5, 5})}});
        QCOMPARE(out.at("max_floor").shape(), (Shape{1, 1, 2, 2}));
        CHECK_FLOATS(out.at("max_floor").toFloats(), {6, 8, 16, 18});
        QCOMPARE(out.at("max_ceil").shape(), (Shape{1, 1, 3, 3}));
        CHECK_FLOATS(out.at("max_ceil").toFloats(), {6, 8, 9, 16, 18, 19, 21, 23, 24});
        // Padded by one: windows start at -1, -1; the corner window holds only x[0][0] = 0.
        QCOMPARE(out.at("avg_incl").shape(), (Shape{1, 1, 3, 3}));
        CHECK_FLOATS(out.at("avg_incl").toFloats(), {0.0f / 4, (1 + 2) / 4.0f, (3 + 4) / 4.0f, (5 + 10) / 4.0f,
                                                     (6 + 7 + 11 + 12) / 4.0f, (8 + 9 + 13 + 14) / 4.0f,
                                                     (15 + 20) / 4.0f, (16 + 17 + 21 + 22) / 4.0f,
                                                     (18 + 19 + 23 + 24) / 4.0f});
        CHECK_FLOATS(out.at("avg_excl").toFloats(), {0.0f, 1.5f, 3.5f, 7.5f, 9.0f, 11.0f, 17.5f, 19.0f, 21.0f});
    }

    void batchNormAndSoftmax() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {1, 2, 1, 2});
        m.output(m.op("batch_norm",
                      {{"x", {x}},
                       {"mean", {m.floats({1, -1}, {2})}},
                       {"variance", {m.floats({4, 0.25f}, {2})}},
                       {"gamma", {m.floats({2, 1}, {2})}},
                       {"beta", {m.floats({0.5f, 0}, {2})}},
                       {"epsilon", {m.floats({0}, {})}}},
                      "bn"));
        m.output(m.op("softmax", {{"x", {x}}, {"axis", {m.b().constInt(1, "a")}}}, "sm"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({3, 5, 0, 1}, {1, 2, 1, 2})}});
        // (x - mean) / sqrt(var) * gamma + beta: (3-1)/2*2+0.5 = 2.5, (5-1)/2*2+0.5 = 4.5, (0+1)/0.5 = 2, (1+1)/0.5 = 4
        CHECK_FLOATS(out.at("bn").toFloats(), {2.5f, 4.5f, 2, 4});
        const float e3 = std::exp(3.0f), e0 = 1.0f, e5 = std::exp(5.0f), e1 = std::exp(1.0f);
        CHECK_FLOATS(out.at("sm").toFloats(), {e3 / (e3 + e0), e5 / (e5 + e1), e0 / (e3 + e0), e1 / (e5 + e1)});
    }

    void reductions() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2, 3});
        m.output(m.op("reduce_sum", {{"x", {x}}, {"axes", {m.ints({1})}}, {"keep_dims", {m.flag(true)}}}, "sum"));
        m.output(m.op("reduce_mean", {{"x", {x}}, {"axes", {m.ints({0})}}}, "mean"));
        m.output(m.op("reduce_max", {{"x", {x}}}, "max"));
        m.output(m.op("reduce_l2_norm", {{"x", {x}}, {"axes", {m.ints({-1})}}}, "l2"));
        m.output(m.op("reduce_log_sum_exp", {{"x", {x}}, {"axes", {m.ints({1})}}}, "lse"));
        m.output(m.op("reduce_argmax", {{"x", {x}}, {"axis", {m.b().constInt(1, "a")}}}, "amax"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({3, -4, 0, 1, 2, 2}, {2, 3})}});
        QCOMPARE(out.at("sum").shape(), (Shape{2, 1}));
        CHECK_FLOATS(out.at("sum").toFloats(), {-1, 5});
        CHECK_FLOATS(out.at("mean").toFloats(), {2, -1, 1});
        QCOMPARE(out.at("max").shape(), Shape{});
        CHECK_FLOATS(out.at("max").toFloats(), {3});
        CHECK_FLOATS(out.at("l2").toFloats(), {5, 3});
        CHECK_FLOATS(out.at("lse").toFloats(), {std::log(std::exp(3.0f) + std::exp(-4.0f) + 1.0f),
                                                std::log(std::exp(1.0f) + 2 * std::exp(2.0f))});
        QCOMPARE(out.at("amax").dtype(), DType::Int32);
        QCOMPARE(out.at("amax").toInts(), (std::vector<int64_t>{0, 1}));
    }

    void shapeOps() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2, 3});  // [[0 1 2] [3 4 5]]
        m.output(m.op("reshape", {{"x", {x}}, {"shape", {m.ints({3, -1})}}}, "r"));
        m.output(m.op("transpose", {{"x", {x}}, {"perm", {m.ints({1, 0})}}}, "t"));
        // x[:, ::-2] and x[1, 1:] (squeezed)
        m.output(m.op("slice_by_index", {{"x", {x}}, {"begin", {m.ints({0, -1})}}, {"end", {m.ints({2, 0})}},
                                         {"stride", {m.ints({1, -2})}}, {"begin_mask", {m.b().constant(Tensor::fromBools({true, false}, {2}), "bm")}},
                                         {"end_mask", {m.b().constant(Tensor::fromBools({true, true}, {2}), "em")}}},
                      "rev"));
        m.output(m.op("slice_by_index", {{"x", {x}}, {"begin", {m.ints({1, 1})}}, {"end", {m.ints({2, 3})}},
                                         {"squeeze_mask", {m.b().constant(Tensor::fromBools({true, false}, {2}), "sq")}}},
                      "row"));
        m.output(m.op("gather", {{"x", {x}}, {"indices", {m.ints({2, -3, 1})}}, {"axis", {m.b().constInt(1, "a")}}}, "g"));
        m.output(m.op("gather_along_axis",
                      {{"x", {x}}, {"indices", {m.b().constant(Tensor::fromInts({1, 0, 0, 1, 1, 0}, {2, 3}), "gi")}},
                       {"axis", {m.b().constInt(0, "a")}}},
                      "ga"));
        m.output(m.op("concat", {{"values", {x, x}}, {"axis", {m.b().constInt(1, "a")}}, {"interleave", {m.flag(true)}}}, "cat"));
        m.output(m.op("concat", {{"values", {x, x}}, {"axis", {m.b().constInt(0, "a")}}}, "cat0"));
        std::vector<mil::Value*> parts = m.b().add(
            "split", {{"x", {x}}, {"split_sizes", {m.ints({1, 2})}}, {"axis", {m.b().constInt(1, "a")}}}, "sp");
        m.output(parts[1]);
        m.output(m.op("tile", {{"x", {x}}, {"reps", {m.ints({1, 2})}}}, "tl"));
        m.output(m.op("expand_dims", {{"x", {x}}, {"axes", {m.ints({-1})}}}, "ed"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats(iota(6), {2, 3})}});
        QCOMPARE(out.at("r").shape(), (Shape{3, 2}));
        CHECK_FLOATS(out.at("t").toFloats(), {0, 3, 1, 4, 2, 5});
        QCOMPARE(out.at("rev").shape(), (Shape{2, 2}));
        CHECK_FLOATS(out.at("rev").toFloats(), {2, 0, 5, 3});
        QCOMPARE(out.at("row").shape(), (Shape{2}));
        CHECK_FLOATS(out.at("row").toFloats(), {4, 5});
        CHECK_FLOATS(out.at("g").toFloats(), {2, 0, 1, 5, 3, 4});
        CHECK_FLOATS(out.at("ga").toFloats(), {3, 1, 2, 3, 4, 2});
        CHECK_FLOATS(out.at("cat").toFloats(), {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
        CHECK_FLOATS(out.at("cat0").toFloats(), {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5});
        CHECK_FLOATS(out.at(parts[1]->name).toFloats(), {1, 2, 4, 5});
        CHECK_FLOATS(out.at("tl").toFloats(), {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5});
        QCOMPARE(out.at("ed").shape(), (Shape{2, 3, 1}));
    }

    void castTruncatesAndRounds() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {4});
        m.output(m.op("cast", {{"x", {x}}, {"dtype", {m.str("int32")}}}, "i"));
        m.output(m.op("cast", {{"x", {x}}, {"dtype", {m.str("fp16")}}}, "h"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({-1.7f, 2.9f, 0.1f, 1.0f + 1.0f / 4096}, {4})}});
        QCOMPARE(out.at("i").toInts(), (std::vector<int64_t>{-1, 2, 0, 1}));
        QCOMPARE(out.at("h").dtype(), DType::Float16);
        // 0.1 is not representable in fp16; 1 + 2^-12 rounds to 1.
        CHECK_FLOATS(out.at("h").toFloats(), {-1.7001953f, 2.9003906f, 0.099975586f, 1.0f});
    }

    void fp16ProgramsRoundEveryOpAndOverflowToInfinity() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS16);  // fp16 model inputs need iOS16
        mil::Value* x = m.input("x", {3}, DType::Float16);
        // (x * 300) * (1/300): 300 * 300 = 90000 overflows fp16 to inf in the first op; in fp32 it would come back.
        mil::Value* big = m.op("mul", {{"x", {x}}, {"y", {m.floats({300}, {}, DType::Float16)}}}, "big");
        m.output(m.op("mul", {{"x", {big}}, {"y", {m.floats({1.0f / 300}, {}, DType::Float16)}}}, "back"));
        // 2048 + 1 is not representable in fp16 (spacing 2 there): each add rounds back to 2048.
        mil::Value* a = m.op("add", {{"x", {x}}, {"y", {m.floats({2048}, {}, DType::Float16)}}}, "a");
        m.output(m.op("sub", {{"x", {a}}, {"y", {m.floats({2048}, {}, DType::Float16)}}}, "lost"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({300, -300, 1}, {3}, DType::Float16)}});
        QCOMPARE(out.at("back").dtype(), DType::Float16);
        const float inf = std::numeric_limits<float>::infinity();
        const std::vector<float> back = out.at("back").toFloats();
        QCOMPARE(back[0], inf);
        QCOMPARE(back[1], -inf);
        QVERIFY(std::fabs(back[2] - 1.0f) < 1e-3f);
        CHECK_FLOATS(out.at("lost").toFloats(), {300, -300, 0});
    }

    void activations() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {1, 2, 2});
        m.output(m.op("leaky_relu", {{"x", {x}}, {"alpha", {m.floats({0.1f}, {})}}}, "lr"));
        m.output(m.op("prelu", {{"x", {x}}, {"alpha", {m.floats({0.5f, 0.5f}, {2})}}}, "pr"));
        m.output(m.op("gelu", {{"x", {x}}, {"mode", {m.str("TANH_APPROXIMATION")}}}, "ge"));
        m.output(m.op("sigmoid_hard", {{"x", {x}}, {"alpha", {m.floats({0.2f}, {})}}, {"beta", {m.floats({0.5f}, {})}}}, "sh"));
        m.output(m.op("clamped_relu", {{"x", {x}}, {"alpha", {m.floats({0.5f}, {})}}, {"beta", {m.floats({1.5f}, {})}}}, "cr"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({-2, -0.5f, 1, 3}, {1, 2, 2})}});
        CHECK_FLOATS(out.at("lr").toFloats(), {-0.2f, -0.05f, 1, 3});
        CHECK_FLOATS(out.at("pr").toFloats(), {-1, -0.25f, 1, 3});
        const auto tanhGelu = [](float v) {
            return 0.5f * v * (1 + std::tanh(std::sqrt(2 / float(M_PI)) * (v + 0.044715f * v * v * v)));
        };
        CHECK_FLOATS(out.at("ge").toFloats(), {tanhGelu(-2), tanhGelu(-0.5f), tanhGelu(1), tanhGelu(3)});
        CHECK_FLOATS(out.at("sh").toFloats(), {0.1f, 0.4f, 0.7f, 1});
        CHECK_FLOATS(out.at("cr").toFloats(), {-1, -0.25f, 1, 1.5f});
    }

    void linearAndMatmul() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2, 3});
        m.output(m.op("linear", {{"x", {x}}, {"weight", {m.floats({1, 0, -1, 2, 2, 2}, {2, 3})}}, {"bias", {m.floats({1, -1}, {2})}}}, "lin"));
        m.output(m.op("matmul", {{"x", {x}}, {"y", {x}}, {"transpose_y", {m.flag(true)}}}, "gram"));
        const auto out = runOne(m, dir, {{"x", Tensor::fromFloats({1, 2, 3, 4, 5, 6}, {2, 3})}});
        CHECK_FLOATS(out.at("lin").toFloats(), {1 - 3 + 1, 12 - 1, 4 - 6 + 1, 30 - 1});
        CHECK_FLOATS(out.at("gram").toFloats(), {14, 32, 32, 77});
    }

    void observerSeesEveryOpWithProvenance() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        m.b().setProvenance({"block.act", "ReLU", "aten::relu", "model.py", 7});
        mil::Value* r = m.op("relu", {{"x", {x}}}, "r");
        m.b().setProvenance({"block.scale", "", "aten::mul", "model.py", 8});
        m.output(m.op("mul", {{"x", {r}}, {"y", {m.floats({3}, {})}}}, "y"));
        runtime::Interpreter interp = m.load(dir);
        std::vector<std::string> seen;
        std::vector<float> firstOutput;
        runtime::RunOptions options;
        options.observer = [&](const runtime::OpEvent& e) {
            seen.push_back(e.opType + "@" + e.provenance.modulePath + ":" + e.provenance.sourceOp);
            if (e.index == 0) firstOutput = e.outputs.front().toFloats();
        };
        const auto out = interp.run({{"x", Tensor::fromFloats({-1, 2}, {2})}}, options);
        QCOMPARE(seen, (std::vector<std::string>{"relu@block.act:aten::relu", "mul@block.scale:aten::mul"}));
        CHECK_FLOATS(firstOutput, {0, 2});
        CHECK_FLOATS(out.at("y").toFloats(), {0, 6});
    }

    void validatesInputs() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        m.output(m.op("relu", {{"x", {x}}}, "r"));
        runtime::Interpreter interp = m.load(dir);
        const auto expectInputError = [&](const std::map<std::string, Tensor>& in, const std::string& fragment) {
            try {
                interp.run(in);
                QFAIL("expected an input error");
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Input);
                QVERIFY2(e.message().find(fragment) != std::string::npos, e.what());
            }
        };
        expectInputError({}, "input x (fp32[2]) is missing");
        expectInputError({{"x", Tensor::fromFloats({1, 2, 3}, {3})}}, "has shape 3");
        expectInputError({{"x", Tensor::fromInts({1, 2}, {2})}}, "is int32");
        expectInputError({{"x", Tensor::fromFloats({1, 2}, {2})}, {"z", Tensor::fromFloats({1}, {1})}}, "no input named z");
    }

    void unknownOpIsANamedError() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        // An op type outside the registry, added by hand as another tool might write it.
        auto op = std::make_unique<mil::Operation>();
        op->type = "frobnicate";
        op->name = "frob_1";
        op->prov = {"head.frob", "Frob", "custom::frob", "model.py", 3};
        op->inputs.push_back({"x", {x}});
        mil::Value* y = m.program().newValueNamed("y", {DType::Float32, {2}});
        y->producer = op.get();
        op->outputs.push_back(y);
        m.program().main().body.ops.push_back(std::move(op));
        m.output(y);
        try {
            m.load(dir);
            QFAIL("expected an unsupported-op error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY2(e.message().find("frobnicate") != std::string::npos, e.what());
            QVERIFY2(e.message().find("frob_1") != std::string::npos, e.what());
            QVERIFY2(e.node().find("head.frob") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestInterpreterOps)
#include "test_interpreter_ops.moc"
