// Flexible input shapes end to end (issue 7): models traced at one shape are converted with ranges
// or enumerated shapes, the package describes them as Core ML expects, and the interpreter matches
// libtorch at several allowed shapes (the bounds included) and refuses a shape outside them, naming
// the allowed set. Fixtures: tests/models/gen_flexible.py.
#include "analysis/accuracy_metrics.h"
#include "common/error.h"
#include "converter.h"
#include "package/package.h"
#include "runtime/interpreter.h"
#include "runtime/torch/torchscript_runner.h"
#include "support/test_support.h"

#include <random>

using namespace cms;

namespace {

Tensor randomInput(const Shape& shape, DType dtype, uint32_t seed, int64_t tokenCount = 100) {
    std::mt19937 rng(seed);
    const int64_t n = shapeNumel(shape);
    if (dtype == DType::Int32) {
        std::uniform_int_distribution<int64_t> tok(0, tokenCount - 1);
        std::vector<int64_t> v(static_cast<size_t>(n));
        for (auto& x : v) x = tok(rng);
        return Tensor::fromInts(v, shape, DType::Int32);
    }
    std::normal_distribution<float> normal;
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = normal(rng);
    return Tensor::fromFloats(v, shape);
}

std::vector<double> asDoubles(const Tensor& t) {
    const std::vector<float> f = t.toFloats();
    return {f.begin(), f.end()};
}

struct Converted {
    test::ScratchDir dir;
    std::string package;
};

// Converts `model` with the one --input given, in fp32 so the comparison measures the lowering.
std::unique_ptr<Converted> convert(const std::string& model, const std::string& input, mil::Target target) {
    auto c = std::make_unique<Converted>();
    ConversionSettings s;
    s.modelPath = test::testModel(model);
    s.outputPath = c->dir.path("flex.mlpackage");
    s.inputs = {parseInputSpec(input)};
    s.precision = Precision::Float32;
    s.target = target;
    convertModel(s);
    c->package = s.outputPath;
    return c;
}

// Max relative error of the package against libtorch at one input shape (one output).
double maxRelErrorAt(const runtime::Interpreter& interp, const runtime::TorchScriptRunner& torch, const std::string& name,
                     const Shape& shape, DType dtype) {
    const Tensor x = randomInput(shape, dtype, static_cast<uint32_t>(shapeNumel(shape)));
    const std::vector<Tensor> expected = torch.run({x});
    const std::map<std::string, Tensor> actual = interp.run({{name, x}});
    if (expected.size() != 1 || actual.size() != 1) throw Error(ErrorKind::Internal, "expected one output");
    const Tensor& a = actual.begin()->second;
    if (a.shape() != expected[0].shape())
        throw Error(ErrorKind::Internal, "output shape " + shapeToString(a.shape()) + " differs from libtorch's " +
                                             shapeToString(expected[0].shape()) + " at input " + shapeToString(shape));
    analysis::Criteria criteria;
    return analysis::compareValues(asDoubles(a), asDoubles(expected[0]), a.shape(), criteria).maxRelError;
}

void checkShapes(const std::string& model, const std::string& input, const std::string& name, DType dtype,
                 const std::vector<Shape>& shapes, mil::Target target = mil::Target::iOS16) {
    std::unique_ptr<Converted> c;
    try {
        c = convert(model, input, target);
    } catch (const Error& e) {
        QFAIL((model + " " + input + ": " + e.what() + " | " + e.hint()).c_str());
    }
    const runtime::Interpreter interp = runtime::Interpreter::fromPackage(c->package);
    const runtime::TorchScriptRunner torch(test::testModel(model));
    for (const Shape& shape : shapes) {
        double err = 0;
        try {
            err = maxRelErrorAt(interp, torch, name, shape, dtype);
        } catch (const Error& e) {
            QFAIL((model + " at " + shapeToString(shape) + ": " + e.what()).c_str());
        }
        qInfo("%s %s at %s: max relative error %.3g", model.c_str(), input.c_str(), shapeToString(shape).c_str(), err);
        QVERIFY2(err <= 1e-4, (model + " at " + shapeToString(shape) + ": " + std::to_string(err)).c_str());
    }
}

std::string refusalOf(const runtime::Interpreter& interp, const std::string& name, const Shape& shape, DType dtype) {
    try {
        interp.run({{name, randomInput(shape, dtype, 1)}});
    } catch (const Error& e) {
        return std::string(e.what()) + " | " + e.hint();
    }
    return "no error";
}

#define QVERIFY_CONTAINS(text, part) \
    QVERIFY2(std::string(text).find(part) != std::string::npos, (std::string(text) + "\n  lacks: " + (part)).c_str())

}  // namespace

class TestFlexibleModels : public QObject {
    Q_OBJECT
private slots:
    void cnnWithRangeHeightAndWidth() {
        checkShapes("flex_cnn.pt", "x:1x3x(32..128=64)x(32..128=64)", "x", DType::Float32,
                    {{1, 3, 32, 32}, {1, 3, 64, 64}, {1, 3, 128, 128}, {1, 3, 32, 128}, {1, 3, 96, 48}, {1, 3, 34, 66}});
    }

    void cnnWithEnumeratedShapes() {
        checkShapes("flex_cnn.pt", "x:enum(1x3x64x64,1x3x96x128,1x3x128x96)", "x", DType::Float32,
                    {{1, 3, 64, 64}, {1, 3, 96, 128}, {1, 3, 128, 96}});
    }

    void transformerWithRangeSequenceLength() {
        checkShapes("flex_transformer.pt", "x:1x(1..64=17)x32", "x", DType::Float32,
                    {{1, 1, 32}, {1, 17, 32}, {1, 40, 32}, {1, 64, 32}});
    }

    // fp16 compute (the default precision) over symbolic sizes: within the usual fp16 accuracy.
    void transformerInFp16() {
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("flex_transformer.pt");
        s.outputPath = dir.path("fp16.mlpackage");
        s.inputs = {parseInputSpec("x:1x(1..64=17)x32")};
        s.target = mil::Target::iOS17;
        convertModel(s);
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(s.outputPath);
        const runtime::TorchScriptRunner torch(s.modelPath);
        for (int64_t len : {1, 17, 64}) {
            const Tensor x = randomInput({1, len, 32}, DType::Float32, 9);
            const std::vector<Tensor> expected = torch.run({x});
            const Tensor actual = interp.run({{"x", x}}).begin()->second;
            QCOMPARE(actual.shape(), expected.at(0).shape());
            const double snr = analysis::compareValues(asDoubles(actual), asDoubles(expected[0]), actual.shape(), {}).snrDb;
            qInfo("flex_transformer fp16 at length %lld: SNR %.1f dB", static_cast<long long>(len), snr);
            QVERIFY(snr >= 40.0);
        }
    }

    // An image input whose height and width vary: Core ML's imageSizeRange, preprocessing included.
    void imageWithRangeSize() {
        const auto c = convert("flex_cnn.pt", "x:1x3x(32..128=64)x(32..96=64):image,scale=1/255", mil::Target::iOS16);
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(c->package);
        const package::FeatureDescription& in = interp.description().inputs.at(0);
        QCOMPARE(int(in.kind), int(package::FeatureDescription::Kind::Image));
        QCOMPARE(in.shapeRange, (std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {3, 3}, {32, 128}, {32, 96}}));
        const runtime::TorchScriptRunner torch(test::testModel("flex_cnn.pt"));
        for (const Shape& shape : {Shape{1, 3, 128, 32}, Shape{1, 3, 48, 96}}) {
            std::vector<float> pixels(static_cast<size_t>(shapeNumel(shape)));
            for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>((i * 37) % 256);
            std::vector<float> scaled(pixels);
            for (float& p : scaled) p /= 255.0f;
            const std::vector<Tensor> expected = torch.run({Tensor::fromFloats(scaled, shape)});
            const Tensor actual = interp.run({{"x", Tensor::fromFloats(pixels, shape)}}).begin()->second;
            const double err = analysis::compareValues(asDoubles(actual), asDoubles(expected.at(0)), actual.shape(), {}).maxRelError;
            qInfo("flex_cnn image at %s: max relative error %.3g", shapeToString(shape).c_str(), err);
            QVERIFY(err <= 1e-4);
        }
    }

    void embeddingOfFlexibleTokens() {
        checkShapes("flex_tokens.pt", "tokens:1x(1..32=9):dtype=int32", "tokens", DType::Int32,
                    {{1, 1}, {1, 9}, {1, 32}});
    }

    // iOS18: enumerated shapes on two inputs, accepted as the n-th shapes of both together.
    void twoEnumeratedInputsForIOS18() {
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("flex_pair.pt");
        s.outputPath = dir.path("pair.mlpackage");
        s.inputs = {parseInputSpec("x:enum(1x4x16,1x8x16,1x1x16)"), parseInputSpec("m:enum(1x6x16,1x10x16,1x3x16)")};
        s.precision = Precision::Float32;
        s.target = mil::Target::iOS18;
        try {
            convertModel(s);
        } catch (const Error& e) {
            QFAIL(e.what());
        }
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(s.outputPath);
        QCOMPARE(interp.description().inputs.at(1).enumeratedShapes, (std::vector<Shape>{{1, 6, 16}, {1, 10, 16}, {1, 3, 16}}));
        const runtime::TorchScriptRunner torch(s.modelPath);
        const std::vector<std::pair<Shape, Shape>> pairs = {{{1, 4, 16}, {1, 6, 16}}, {{1, 8, 16}, {1, 10, 16}}, {{1, 1, 16}, {1, 3, 16}}};
        for (const auto& [xs, ms] : pairs) {
            const Tensor x = randomInput(xs, DType::Float32, 5), m = randomInput(ms, DType::Float32, 6);
            const std::vector<Tensor> expected = torch.run({x, m});
            const Tensor actual = interp.run({{"x", x}, {"m", m}}).begin()->second;
            QCOMPARE(actual.shape(), expected.at(0).shape());
            const double err = analysis::compareValues(asDoubles(actual), asDoubles(expected[0]), actual.shape(), {}).maxRelError;
            qInfo("flex_pair at x %s, m %s: max relative error %.3g", shapeToString(xs).c_str(), shapeToString(ms).c_str(), err);
            QVERIFY(err <= 1e-4);
        }
        // Each shape is allowed on its own, but not in this combination.
        try {
            interp.run({{"x", randomInput({1, 4, 16}, DType::Float32, 1)}, {"m", randomInput({1, 10, 16}, DType::Float32, 2)}});
            QFAIL("a mixed combination ran");
        } catch (const Error& e) {
            QVERIFY_CONTAINS(e.what(), "not one of the model's enumerated shape combinations");
            QVERIFY_CONTAINS(e.what(), "x 1x8x16, m 1x10x16");
        }
    }

    void describesFlexibilityAsCoreMLExpects() {
        const auto range = convert("flex_cnn.pt", "x:1x3x(32..128=64)x(32..128=64)", mil::Target::iOS15);
        const package::PackageContents r = package::readPackage(range->package);
        const package::FeatureDescription& in = r.description.inputs.at(0);
        QCOMPARE(in.shape, (Shape{1, 3, 64, 64}));  // the default
        QCOMPARE(in.shapeRange, (std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {3, 3}, {32, 128}, {32, 128}}));
        QVERIFY(in.enumeratedShapes.empty());
        QCOMPARE(r.program.main().inputs.at(0)->type.shape, (Shape{1, 3, -1, -1}));
        QCOMPARE(r.description.outputs.at(0).shape, (Shape{1, 10}));  // static despite the flexible input

        const auto enumerated = convert("flex_cnn.pt", "x:enum(1x3x96x128,1x3x64x64)", mil::Target::iOS15);
        const package::PackageContents e = package::readPackage(enumerated->package);
        QCOMPARE(e.description.inputs.at(0).shape, (Shape{1, 3, 96, 128}));
        QCOMPARE(e.description.inputs.at(0).enumeratedShapes, (std::vector<Shape>{{1, 3, 96, 128}, {1, 3, 64, 64}}));
        QVERIFY(e.description.inputs.at(0).shapeRange.empty());

        const auto seq = convert("flex_transformer.pt", "x:1x(1..64=17)x32", mil::Target::iOS15);
        const package::PackageContents t = package::readPackage(seq->package);
        QVERIFY(t.description.outputs.at(0).shape.empty());  // [1, S, 8]: no fixed shape to declare
    }

    void refusesShapesOutsideTheAllowedSet() {
        const auto range = convert("flex_cnn.pt", "x:1x3x(32..128=64)x(32..128=64)", mil::Target::iOS16);
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(range->package);
        const std::string above = refusalOf(interp, "x", {1, 3, 130, 64}, DType::Float32);
        QVERIFY_CONTAINS(above, "input x has shape 1x3x130x64");
        QVERIFY_CONTAINS(above, "allows 1x3x(32..128)x(32..128)");
        QVERIFY_CONTAINS(refusalOf(interp, "x", {1, 3, 16, 64}, DType::Float32), "does not allow");
        QVERIFY_CONTAINS(refusalOf(interp, "x", {2, 3, 64, 64}, DType::Float32), "does not allow");

        const auto enumerated = convert("flex_cnn.pt", "x:enum(1x3x64x64,1x3x96x128)", mil::Target::iOS16);
        const runtime::Interpreter e = runtime::Interpreter::fromPackage(enumerated->package);
        QVERIFY_CONTAINS(refusalOf(e, "x", {1, 3, 96, 96}, DType::Float32), "allows enum(1x3x64x64,1x3x96x128)");

        const auto seq = convert("flex_transformer.pt", "x:1x(1..64=17)x32", mil::Target::iOS16);
        const runtime::Interpreter t = runtime::Interpreter::fromPackage(seq->package);
        QVERIFY_CONTAINS(refusalOf(t, "x", {1, 65, 32}, DType::Float32), "allows 1x(1..64)x32");
    }
};

QTEST_APPLESS_MAIN(TestFlexibleModels)
#include "test_flexible_models.moc"
