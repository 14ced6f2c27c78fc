// Control flow and recurrent ops on hand-built packages: cond and while_loop with nested blocks go
// through the package writer and reader and run in the interpreter; lstm, gru and rnn kernels are
// checked against values computed by hand from Core ML's definitions (gate orders included); the
// declarations reject branches or loop bodies whose types disagree.
#include "interpreter_test_util.h"
#include "passes/verify.h"

using namespace cms;
using cms::test::ProgramMaker;

namespace {

// A nested block built with its own builder; `fill` adds its ops and returns its outputs.
template <class Fill>
std::unique_ptr<mil::Block> nestedBlock(mil::Program& p, mil::Target t, std::vector<mil::Value*> inputs, Fill fill) {
    auto block = std::make_unique<mil::Block>();
    block->inputs = std::move(inputs);
    mil::Builder b(p, *block, t);
    block->outputs = fill(b, block->inputs);
    return block;
}

Tensor floats(const std::vector<float>& v, Shape s) { return Tensor::fromFloats(v, std::move(s)); }

}  // namespace

class TestInterpreterFlow : public QObject {
    Q_OBJECT
private slots:
    void condRunsTheTakenBranch() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        mil::Value* sum = m.op("reduce_sum", {{"x", {x}}, {"axes", {m.ints({0})}}, {"keep_dims", {m.flag(false)}}}, "sum");
        mil::Value* pred = m.op("greater", {{"x", {sum}}, {"y", {m.floats({0}, {})}}}, "positive");
        std::vector<std::unique_ptr<mil::Block>> blocks;
        blocks.push_back(nestedBlock(m.program(), mil::Target::iOS15, {}, [&](mil::Builder& b, auto&) {
            return std::vector<mil::Value*>{b.add1("mul", {{"x", {x}}, {"y", {b.constFloat(2)}}}, "twice")};
        }));
        blocks.push_back(nestedBlock(m.program(), mil::Target::iOS15, {}, [&](mil::Builder& b, auto&) {
            return std::vector<mil::Value*>{b.add1("sub", {{"x", {x}}, {"y", {b.constFloat(1)}}}, "less_one")};
        }));
        m.output(m.b().addWithBlocks("cond", {{"pred", {pred}}}, std::move(blocks), "y").front());
        passes::verifyProgram(m.program());
        const runtime::Interpreter interp = m.load(dir);
        CHECK_FLOATS(interp.run({{"x", floats({1, 2}, {2})}}).at("y").toFloats(), {2, 4});
        CHECK_FLOATS(interp.run({{"x", floats({-3, 1}, {2})}}).at("y").toFloats(), {-4, 0});
    }

    void whileLoopRepeatsTheBody() {
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        mil::Program& p = m.program();
        mil::Value* i0 = m.b().constInt(0, "i0");
        auto vars = [&](const std::string& n) {
            return std::vector<mil::Value*>{p.newValue(n + "_i", i0->type), p.newValue(n + "_x", x->type)};
        };
        std::vector<std::unique_ptr<mil::Block>> blocks;
        blocks.push_back(nestedBlock(p, mil::Target::iOS15, vars("c"), [&](mil::Builder& b, auto& in) {
            return std::vector<mil::Value*>{b.add1("less", {{"x", {in[0]}}, {"y", {b.constInt(3)}}}, "below")};
        }));
        blocks.push_back(nestedBlock(p, mil::Target::iOS15, vars("b"), [&](mil::Builder& b, auto& in) {
            return std::vector<mil::Value*>{b.add1("add", {{"x", {in[0]}}, {"y", {b.constInt(1)}}}, "next"),
                                            b.add1("mul", {{"x", {in[1]}}, {"y", {b.constFloat(2)}}}, "doubled")};
        }));
        std::vector<mil::Value*> out = m.b().addWithBlocks("while_loop", {{"loop_vars", {i0, x}}}, std::move(blocks), "loop");
        QCOMPARE(out.size(), size_t(2));
        m.output(out[1]);
        m.output(out[0]);
        passes::verifyProgram(m.program());
        const auto result = m.load(dir).run({{"x", floats({1, -0.5f}, {2})}});
        CHECK_FLOATS(result.at(out[1]->name).toFloats(), {8, -4});
        QCOMPARE(result.at(out[0]->name).toInts(), std::vector<int64_t>{3});
    }

    void declarationsRejectDisagreeingBlocks() {
        ProgramMaker m;
        mil::Value* x = m.input("x", {2});
        mil::Value* pred = m.b().constBool(true, "pred");
        std::vector<std::unique_ptr<mil::Block>> blocks;
        blocks.push_back(nestedBlock(m.program(), mil::Target::iOS15, {}, [&](mil::Builder& b, auto&) {
            return std::vector<mil::Value*>{b.add1("identity", {{"x", {x}}}, "same")};
        }));
        blocks.push_back(nestedBlock(m.program(), mil::Target::iOS15, {}, [&](mil::Builder& b, auto&) {
            return std::vector<mil::Value*>{b.add1("cast", {{"x", {x}}, {"dtype", {b.constString("int32")}}}, "ints")};
        }));
        try {
            m.b().addWithBlocks("cond", {{"pred", {pred}}}, std::move(blocks), "y");
            QFAIL("branches of different dtypes were accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("in the true branch but") != std::string::npos, e.what());
        }

        mil::Program& p = m.program();
        std::vector<std::unique_ptr<mil::Block>> loop;
        loop.push_back(nestedBlock(p, mil::Target::iOS15, {p.newValue("c_x", x->type)}, [&](mil::Builder& b, auto&) {
            return std::vector<mil::Value*>{b.constBool(false)};
        }));
        loop.push_back(nestedBlock(p, mil::Target::iOS15, {p.newValue("b_x", x->type)}, [&](mil::Builder& b, auto& in) {
            return std::vector<mil::Value*>{b.add1("concat", {{"values", {in[0], in[0]}}, {"axis", {b.constInt(0)}}}, "grown")};
        }));
        try {
            m.b().addWithBlocks("while_loop", {{"loop_vars", {x}}}, std::move(loop), "loop");
            QFAIL("a loop variable changing shape was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("changes type in the body") != std::string::npos, e.what());
        }
    }

    void rnnForwardAndReverse() {
        // h_t = W_ih x_t + W_hh h_{t-1} (linear activation), W_ih = 1, W_hh = 0.5, x = 1, 2, 3.
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {3, 1, 1});
        for (const char* direction : {"forward", "reverse"}) {
            std::vector<mil::Value*> out = m.b().add(
                "rnn",
                {{"x", {x}}, {"initial_h", {m.floats({0}, {1, 1})}}, {"weight_ih", {m.floats({1}, {1, 1})}},
                 {"weight_hh", {m.floats({0.5f}, {1, 1})}}, {"bias", {m.floats({0}, {1})}}, {"direction", {m.str(direction)}},
                 {"output_sequence", {m.flag(true)}}, {"activation", {m.str("linear")}}},
                std::string("rnn_") + direction);
            m.output(out[0]);
            m.output(out[1]);
        }
        const auto r = m.load(dir).run({{"x", floats({1, 2, 3}, {3, 1, 1})}});
        CHECK_FLOATS(r.at("rnn_forward").toFloats(), {1, 2.5f, 4.25f});
        CHECK_FLOATS(r.at("rnn_forward_1").toFloats(), {4.25f});
        // Read from the end; each state is written at its own step.
        CHECK_FLOATS(r.at("rnn_reverse").toFloats(), {2.75f, 3.5f, 3});
        CHECK_FLOATS(r.at("rnn_reverse_1").toFloats(), {2.75f});
    }

    void lstmGateOrder() {
        // Gates in Core ML's order (input, forget, output, cell): biases (+big, -big, +big, 1) give
        // i = 1, f = 0, o = 1 and z = tanh(1), so c_1 = tanh(1) and h_1 = tanh(tanh(1)) whatever c_0 is.
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {1, 1, 1});
        std::vector<mil::Value*> out = m.b().add(
            "lstm",
            {{"x", {x}}, {"initial_h", {m.floats({0.3f}, {1, 1})}}, {"initial_c", {m.floats({5}, {1, 1})}},
             {"weight_ih", {m.floats({0, 0, 0, 0}, {4, 1})}}, {"weight_hh", {m.floats({0, 0, 0, 0}, {4, 1})}},
             {"bias", {m.floats({30, -30, 30, 1}, {4})}}},
            "lstm");
        for (mil::Value* v : out) m.output(v);
        const auto r = m.load(dir).run({{"x", floats({7}, {1, 1, 1})}});
        const float c1 = std::tanh(1.0f);
        CHECK_FLOATS(r.at("lstm").toFloats(), {std::tanh(c1)});
        CHECK_FLOATS(r.at("lstm_2").toFloats(), {c1});
    }

    void gruResetGateScalesOnlyTheHiddenProduct() {
        // Gates (reset, output, update); W_io = 1, W_ho = 0.5, h_0 = 2, x = 1, the update gate closed
        // (bias -big). Reset open: o = tanh(1 + 0.5 * 2 + 0.25); reset closed: o = tanh(1 + 0.25).
        test::ScratchDir dir;
        ProgramMaker m;
        mil::Value* x = m.input("x", {1, 1, 1});
        for (const float reset : {30.0f, -30.0f}) {
            const std::string name = reset > 0 ? "open" : "closed";
            std::vector<mil::Value*> out = m.b().add(
                "gru",
                {{"x", {x}}, {"initial_h", {m.floats({2}, {1, 1})}}, {"weight_ih", {m.floats({0, 1, 0}, {3, 1})}},
                 {"weight_hh", {m.floats({0, 0.5f, 0}, {3, 1})}}, {"bias", {m.floats({reset, 0.25f, -30}, {3})}}},
                name);
            m.output(out[1]);
        }
        const auto r = m.load(dir).run({{"x", floats({1}, {1, 1, 1})}});
        CHECK_FLOATS(r.at("open_1").toFloats(), {std::tanh(2.25f)});
        CHECK_FLOATS(r.at("closed_1").toFloats(), {std::tanh(1.25f)});
    }

    void recurrentDeclarationsCheckWeights() {
        ProgramMaker m;
        mil::Value* x = m.input("x", {3, 2, 4});
        try {
            m.b().add("lstm", {{"x", {x}}, {"initial_h", {m.floats(std::vector<float>(10), {2, 5})}},
                               {"initial_c", {m.floats(std::vector<float>(10), {2, 5})}},
                               {"weight_ih", {m.floats(std::vector<float>(60), {15, 4})}},
                               {"weight_hh", {m.floats(std::vector<float>(75), {15, 5})}}},
                      "bad");
            QFAIL("an lstm with 3 gates' weights was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("4 x hidden size rows") != std::string::npos, e.what());
        }
        std::vector<mil::Value*> out = m.b().add(
            "lstm", {{"x", {x}}, {"initial_h", {m.floats(std::vector<float>(20), {2, 10})}},
                     {"initial_c", {m.floats(std::vector<float>(20), {2, 10})}},
                     {"weight_ih", {m.floats(std::vector<float>(80), {20, 4})}},
                     {"weight_hh", {m.floats(std::vector<float>(100), {20, 5})}},
                     {"weight_ih_back", {m.floats(std::vector<float>(80), {20, 4})}},
                     {"weight_hh_back", {m.floats(std::vector<float>(100), {20, 5})}},
                     {"direction", {m.str("bidirectional")}}},
            "bi");
        QCOMPARE(out[0]->type, (mil::TensorType{DType::Float32, {1, 2, 10}}));
        QCOMPARE(out[2]->type, (mil::TensorType{DType::Float32, {2, 10}}));
        try {
            m.b().add("lstm", {{"x", {x}}, {"initial_h", {m.floats(std::vector<float>(10), {2, 5})}},
                               {"initial_c", {m.floats(std::vector<float>(10), {2, 5})}},
                               {"weight_ih", {m.floats(std::vector<float>(80), {20, 4})}},
                               {"weight_hh", {m.floats(std::vector<float>(100), {20, 5})}},
                               {"x_fp16", {x}}},
                      "unknown_input");
            QFAIL("an unknown input was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("x_fp16") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestInterpreterFlow)
#include "test_interpreter_flow.moc"
