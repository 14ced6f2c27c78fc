// The Swift snippet names a converted package's real features and types, and the compute units chosen.
#include "analysis/swift_snippet.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;

class TestSwiftSnippet : public QObject {
    Q_OBJECT
private slots:
    void namesTheConvertedFixturesFeatures() {
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("demo_cnn.pt");
        s.outputPath = dir.path("demo_cnn.mlpackage");
        s.inputs = {{"image", {1, 3, 32, 32}}};
        s.outputs = {{"class_scores"}};
        s.computeUnits = ComputeUnits::CpuAndNeuralEngine;
        convertModel(s);
        const package::ModelDescription d = package::readPackage(s.outputPath).description;
        QCOMPARE(d.inputs.size(), size_t(1));
        QCOMPARE(d.outputs.at(0).name, std::string("class_scores"));

        const std::string swift = analysis::swiftSnippet(d, "demo_cnn", s.computeUnits);
        const auto has = [&](const std::string& text) { return swift.find(text) != std::string::npos; };
        QVERIFY2(has("\"image\": MLFeatureValue(multiArray: image)"), swift.c_str());
        QVERIFY2(has("result.featureValue(for: \"class_scores\")?.multiArrayValue"), swift.c_str());
        QVERIFY2(has("func predict(image: MLMultiArray) throws -> DemoCnnOutput"), swift.c_str());
        QVERIFY2(has("configuration.computeUnits = .cpuAndNeuralEngine"), swift.c_str());
        QVERIFY2(has("Bundle.main.url(forResource: \"demo_cnn\", withExtension: \"mlmodelc\")"), swift.c_str());
        // The input's type and shape as the package declares them (fp32 inputs by default).
        QVERIFY2(has("MLMultiArray(shape: [1, 3, 32, 32], dataType: .float32)"), swift.c_str());
        QVERIFY2(has("//   image: MLMultiArray, Float32, shape [1, 3, 32, 32]"), swift.c_str());
        const std::string outShape = "//   class_scores: MLMultiArray, " +
                                     std::string(d.outputs[0].dtype == DType::Float16 ? "Float16" : "Float32");
        QVERIFY2(has(outShape), swift.c_str());
        // The memory-efficient loading pattern keeps what it loads and evicts the least recently used model.
        QVERIFY(has("final class ModelCache") && has("models[url] = loaded") && has("didReceiveMemoryWarningNotification"));
    }

    void imageInputsTakePixelBuffers() {
        package::ModelDescription d;
        package::FeatureDescription in;
        in.name = "input.1";
        in.kind = package::FeatureDescription::Kind::Image;
        in.shape = {1, 3, 224, 224};
        package::FeatureDescription out;
        out.name = "logits";
        out.dtype = DType::Float16;
        out.shape = {1, 1000};
        d.inputs = {in};
        d.outputs = {out};
        const std::string swift = analysis::swiftSnippet(d, "mobile-net v2", ComputeUnits::CpuOnly);
        const auto has = [&](const std::string& text) { return swift.find(text) != std::string::npos; };
        QVERIFY2(has("func predict(input_1: CVPixelBuffer) throws -> MobileNetV2Output"), swift.c_str());
        QVERIFY2(has("\"input.1\": MLFeatureValue(pixelBuffer: input_1)"), swift.c_str());
        QVERIFY2(has("//   input.1: image (CVPixelBuffer), RGB, 224x224"), swift.c_str());
        QVERIFY2(has("//   logits: MLMultiArray, Float16, shape [1, 1000]"), swift.c_str());
        QVERIFY2(has("configuration.computeUnits = .cpuOnly"), swift.c_str());
        QVERIFY(!has("static func makeInput_1"));  // no array factory for an image input
    }

    void identifiers() {
        QCOMPARE(analysis::swiftIdentifier("input.1"), std::string("input_1"));
        QCOMPARE(analysis::swiftIdentifier("1x"), std::string("_1x"));
        QCOMPARE(analysis::swiftIdentifier("demo_cnn", true), std::string("DemoCnn"));
        QCOMPARE(analysis::swiftMultiArrayType(DType::Int32), std::string(".int32"));
        QCOMPARE(analysis::swiftComputeUnits(ComputeUnits::CpuAndGpu), std::string(".cpuAndGPU"));
    }
};

QTEST_APPLESS_MAIN(TestSwiftSnippet)
#include "test_swift_snippet.moc"
