// The random MIL declarations' type inference, and the clear errors of the complex, spectral and
// random translators: complex values may not leave the model or reach ops without a complex form,
// and multinomial cannot draw several samples without replacement in Core ML.
#include "common/error.h"
#include "converter.h"
#include "mil/builder.h"
#include "support/op_decl_fixture.h"
#include "support/test_support.h"

using namespace cms;
using mil::TensorType;

using Fixture = test::OpDeclFixture;
using test::fp32;

namespace {

// The error converting `model` (inputs NAME -> shape) gives; fails the test when it converts.
Error conversionError(const std::string& model, const std::vector<std::pair<std::string, Shape>>& inputs) {
    test::ScratchDir scratch;
    ConversionSettings s;
    s.modelPath = test::testModel(model);
    s.outputPath = scratch.path("out.mlpackage");
    for (const auto& [name, shape] : inputs) {
        InputSpec i;
        i.name = name;
        i.shape = shape;
        s.inputs.push_back(i);
    }
    try {
        convertModel(s);
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error(model + " converted, but it should have been rejected");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestSignalOps : public QObject {
    Q_OBJECT
private slots:
    void randomDistributionsTakeTheirParametersType() {
        Fixture f(mil::Target::iOS15);
        mil::Value* shape = f.ints({3, 4});
        QCOMPARE(f.type("random_uniform", {{"shape", {shape}}}), fp32({3, 4}));
        QCOMPARE(f.type("random_normal", {{"shape", {shape}}, {"mean", {f.builder->constFloat(1.0f)}},
                                          {"stddev", {f.builder->constFloat(2.0f)}}}),
                 fp32({3, 4}));
        mil::Value* half = f.builder->constant(Tensor::scalarFloat(1.0f, DType::Float16));
        QCOMPARE(f.type("random_uniform", {{"shape", {shape}}, {"low", {half}}}), (TensorType{DType::Float16, {3, 4}}));
        QVERIFY(f.fails("random_uniform", {{"shape", {shape}}, {"low", {half}}, {"high", {f.builder->constFloat(2.0f)}}}));
        QVERIFY(f.fails("random_normal", {{"shape", {f.ints({3, 0})}}}));
        // A run-time shape gives the rank only.
        mil::Value* runtimeShape = f.input(TensorType{DType::Int32, {2}});
        QCOMPARE(f.type("random_normal", {{"shape", {runtimeShape}}}), fp32({mil::kUnknownDim, mil::kUnknownDim}));
    }

    void categoricalReplacesTheLastDimensionBySize() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 5}));
        QCOMPARE(f.type("random_categorical", {{"x", {x}}, {"size", {f.builder->constInt(7)}}}), fp32({2, 7}));
        QCOMPARE(f.type("random_categorical", {{"x", {x}}}), fp32({2, 1}));
        QVERIFY(f.fails("random_categorical", {{"x", {x}}, {"mode", {f.builder->constString("counts")}}}));
        QVERIFY(f.fails("random_categorical", {{"x", {x}}, {"size", {f.builder->constInt(0)}}}));
        mil::Value* ints = f.input(TensorType{DType::Int32, {2, 5}});
        QVERIFY(f.fails("random_categorical", {{"x", {ints}}}));
    }

    void complexOutputNamesItsNode() {
        const Error e = conversionError("signal_complex_output.pt", {{"x", {2, 8}}});
        QVERIFY2(contains(e.message(), "complex"), e.what());
        QVERIFY2(contains(e.node(), "fft_fft"), e.what());
        QVERIFY2(contains(e.hint(), "view_as_real"), e.what());
    }

    void complexValueIntoARealOpNamesBothNodes() {
        const Error e = conversionError("signal_complex_into_exp.pt", {{"x", {2, 8}}});
        QVERIFY2(contains(e.message(), "complex value (made by") && contains(e.message(), "fft_rfft"), e.what());
        QVERIFY2(contains(e.node(), "aten::exp"), e.what());
        QVERIFY2(contains(e.hint(), "view_as_real"), e.what());
    }

    void multinomialWithoutReplacementIsRejected() {
        const Error e = conversionError("signal_multinomial_no_replacement.pt", {{"x", {2, 5}}});
        QCOMPARE(e.kind(), ErrorKind::Conversion);
        QVERIFY2(contains(e.message(), "without replacement"), e.what());
        QVERIFY2(contains(e.hint(), "replacement=True"), e.what());
    }
};

QTEST_APPLESS_MAIN(TestSignalOps)
#include "test_signal_ops.moc"
