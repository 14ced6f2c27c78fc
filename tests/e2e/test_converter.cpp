// The conversion job (core/converter): format detection, settings completion, target gating,
// progress, cancellation, the package's description and metadata.
#include "common/error.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

#include <filesystem>
#include <fstream>

using namespace cms;
namespace fs = std::filesystem;

namespace {

template <class Fn> Error errorOf(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorKind::Internal, "no error thrown");
}

#define QVERIFY_CONTAINS(text, part) \
    QVERIFY2(std::string(text).find(part) != std::string::npos, (std::string(text) + "\n  lacks: " + (part)).c_str())

ConversionSettings demoSettings(const std::string& out) {
    ConversionSettings s;
    s.modelPath = test::testModel("demo_cnn.pt");
    s.outputPath = out;
    s.inputs = {parseInputSpec("image:1x3x224x224:image,scale=1/255,bias=-0.5,-0.5,-0.5")};
    return s;
}

uint64_t folderBytes(const std::string& path) {
    uint64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(path))
        if (e.is_regular_file()) total += e.file_size();
    return total;
}

}  // namespace

class TestConverter : public QObject {
    Q_OBJECT
private slots:
    void importNamesTheFileForEachBadFormat() {
        test::ScratchDir dir;
        Error missing = errorOf([&] { importModel(dir.path("absent.pt")); });
        QCOMPARE(missing.kind(), ErrorKind::Input);
        QCOMPARE(missing.file(), dir.path("absent.pt"));

        std::ofstream(dir.path("m.onnx")) << "onnx";
        Error onnx = errorOf([&] { importModel(dir.path("m.onnx")); });
        QCOMPARE(onnx.kind(), ErrorKind::Unsupported);
        QVERIFY_CONTAINS(onnx.what(), "not supported: convert from PyTorch directly");
        QVERIFY_CONTAINS(onnx.hint(), "torch.jit.trace");

        // Files named like Keras models go to the Keras reader, which says what is wrong with them.
        for (const auto& [name, problem] : {std::pair<const char*, const char*>{"m.h5", "not an HDF5 file"},
                                            {"m.keras", "not a zip archive"}}) {
            std::ofstream(dir.path(name)) << "keras";
            Error keras = errorOf([&] { importModel(dir.path(name)); });
            QCOMPARE(keras.kind(), ErrorKind::Input);
            QVERIFY_CONTAINS(keras.what(), problem);
            QCOMPARE(keras.file(), dir.path(name));
        }
        // TensorFlow graphs are out of scope, with the way to a Keras file.
        std::filesystem::create_directories(dir.path("saved_model"));
        std::ofstream(dir.path("saved_model/saved_model.pb")) << "pb";
        for (const std::string& path : {dir.path("saved_model"), dir.path("saved_model/saved_model.pb")}) {
            Error tf = errorOf([&] { importModel(path); });
            QCOMPARE(tf.kind(), ErrorKind::Unsupported);
            QVERIFY_CONTAINS(tf.what(), "are not supported");
            QVERIFY_CONTAINS(tf.hint(), "model.save(\"model.keras\")");
        }

        for (const char* fixture : {"truncated.pt", "not_torchscript.pt", "random_bytes.pt"}) {
            const std::string path = test::testModel(fixture);
            Error e = errorOf([&] { importModel(path); });
            QCOMPARE(e.kind(), ErrorKind::Input);
            QCOMPARE(e.file(), path);
            QVERIFY2(!e.hint().empty(), fixture);
        }
    }

    void completeSettingsAsksForEveryMissingShape() {
        ir::Graph graph = importModel(test::testModel("demo_cnn.pt"));
        QCOMPARE(graph.inputNames, std::vector<std::string>{"image"});
        ConversionSettings s;
        s.modelPath = graph.sourcePath;
        Error e = errorOf([&] { completeSettings(graph, s); });
        QCOMPARE(e.kind(), ErrorKind::Settings);
        QVERIFY_CONTAINS(e.what(), "no shape is given for model input image");
        QVERIFY_CONTAINS(e.hint(), "--input image:SHAPE");
        QVERIFY_CONTAINS(e.file(), "demo_cnn.pt");

        s.inputs = {parseInputSpec("picture:1x3x8x8")};
        e = errorOf([&] { completeSettings(graph, s); });
        QVERIFY_CONTAINS(e.what(), "the model has no input named \"picture\"; its inputs are: image");

        s.inputs = {parseInputSpec("image:1x3x64x64")};
        s.outputs = {{"image"}};
        e = errorOf([&] { completeSettings(graph, s); });
        QVERIFY_CONTAINS(e.what(), "\"image\" is used twice");

        // Output names are left to lowering, which knows how many tensors the model returns.
        s.outputs.clear();
        QVERIFY(completeSettings(graph, s).outputs.empty());
    }

    void outputNamesCountFlattenedTensors() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("Demo.mlpackage"));
        s.outputs = {{"a"}, {"b"}};
        Error e = errorOf([&] { convertModel(s); });
        QVERIFY_CONTAINS(e.what(), "the model has 1 output tensor(s) but 2 output name(s) were given");
        QVERIFY(!std::filesystem::exists(s.outputPath));

        // A returned (logits, features) tuple is two Core ML outputs, each nameable.
        ConversionSettings t;
        t.modelPath = test::testModel("tuple_output.pt");
        t.outputPath = dir.path("Tuple.mlpackage");
        t.inputs = {parseInputSpec("x:1x3x16x16")};
        t.outputs = {{"logits"}, {"features"}};
        convertModel(t);
        const package::PackageContents p = package::readPackage(t.outputPath);
        QCOMPARE(p.description.outputs.size(), size_t(2));
        QCOMPARE(p.description.outputs[0].name, std::string("logits"));
        QCOMPARE(p.description.outputs[1].name, std::string("features"));
    }

    void fp16InputsNeedIos16AndTheErrorOffersBothWays() {
        ConversionSettings s;
        s.inputs = {parseInputSpec("x:1x16:dtype=fp16")};
        s.target = mil::Target::iOS15;
        Error e = errorOf([&] { checkDeploymentTarget(s); });
        QCOMPARE(e.kind(), ErrorKind::Settings);
        QVERIFY_CONTAINS(e.what(), "input \"x\" is fp16");
        QVERIFY_CONTAINS(e.what(), "iOS15");
        QVERIFY_CONTAINS(e.hint(), "--target iOS16");
        QVERIFY_CONTAINS(e.hint(), "drop dtype=fp16");
        for (mil::Target t : {mil::Target::iOS16, mil::Target::iOS17, mil::Target::iOS18}) {
            s.target = t;
            checkDeploymentTarget(s);  // no throw
        }
    }

    void convertsTheDemoWithProgressInStageOrder() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("Demo.mlpackage"));
        s.outputs = {{"scores"}};
        s.metadata.author = "Tester";
        s.metadata.userDefined["dataset"] = "none";
        std::vector<std::pair<Stage, double>> seen;
        const ConversionReport r =
            convertModel(s, [&](Stage st, double f, const std::string&) { seen.emplace_back(st, f); });

        // Stages arrive in order, each finishing at 1.0, fractions never going back within a stage.
        std::vector<Stage> order;
        for (size_t i = 0; i < seen.size(); ++i) {
            if (order.empty() || order.back() != seen[i].first) {
                QVERIFY(order.empty() || int(seen[i].first) > int(order.back()));
                QVERIFY(i == 0 || seen[i - 1].second == 1.0);
                order.push_back(seen[i].first);
            } else {
                QVERIFY(seen[i].second >= seen[i - 1].second);
            }
        }
        QCOMPARE(order, (std::vector<Stage>{Stage::Import, Stage::Lower, Stage::Passes, Stage::Write, Stage::Verify}));
        QCOMPARE(seen.back().second, 1.0);

        QCOMPARE(r.packagePath, s.outputPath);
        QCOMPARE(r.packageBytes, folderBytes(s.outputPath));
        QVERIFY(r.packageBytes > 100000);  // fp16 weights of ~170k parameters
        QVERIFY(r.opCount > 10);
        QVERIFY(r.opHistogram.count("conv") && r.opHistogram.count("const"));
        QVERIFY(r.opHistogram.count("batch_norm") == 0);  // fused into the convolutions
        for (const char* stage : {"import", "lower", "passes", "write", "verify"})
            QVERIFY2(r.stageSeconds.count(stage), stage);

        const package::PackageContents p = package::readPackage(s.outputPath);
        QCOMPARE(p.specificationVersion, 6);
        QCOMPARE(p.description.inputs.size(), size_t(1));
        const auto& in = p.description.inputs[0];
        QCOMPARE(in.kind, package::FeatureDescription::Kind::Image);
        QCOMPARE(in.colorLayout, ColorLayout::RGB);
        QCOMPARE(in.shape, (Shape{1, 3, 224, 224}));
        QCOMPARE(p.description.outputs.size(), size_t(1));
        QCOMPARE(p.description.outputs[0].name, std::string("scores"));
        QCOMPARE(p.description.outputs[0].dtype, DType::Float32);  // fp16 compute keeps fp32 I/O
        QCOMPARE(p.description.outputs[0].shape, (Shape{1, 10}));
        const ModelMetadata& m = p.description.metadata;
        QCOMPARE(m.author, std::string("Tester"));
        QCOMPARE(m.userDefined.at("dataset"), std::string("none"));
        QCOMPARE(m.userDefined.at("cms.source"), std::string("demo_cnn.pt"));
        QCOMPARE(m.userDefined.at("cms.converter.version"), converterVersion());
        QCOMPARE(m.userDefined.at("cms.precision"), std::string("fp16"));
    }

    void fp16PrecisionKeepsFp32TensorInterface() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("T.mlpackage"));
        s.inputs = {parseInputSpec("image:1x3x64x64")};
        ir::Graph graph = importModel(s.modelPath);
        s = completeSettings(graph, s);
        const mil::Program program = buildProgram(graph, s);
        const package::ModelDescription d = describeProgram(program, s);
        QCOMPARE(d.inputs[0].kind, package::FeatureDescription::Kind::MultiArray);
        QCOMPARE(d.inputs[0].dtype, DType::Float32);
        QCOMPARE(d.inputs[0].shape, (Shape{1, 3, 64, 64}));
        QCOMPARE(d.outputs[0].dtype, DType::Float32);
        // ... while the weights inside are fp16.
        bool fp16Weights = false;
        for (const auto& op : program.main().body.ops)
            if (op->type == "const" && op->output()->type.dtype == DType::Float16 && op->output()->constValue->numel() > 100)
                fp16Weights = true;
        QVERIFY(fp16Weights);
    }

    void cancellingBeforeTheWriteLeavesNoPackage() {
        test::ScratchDir dir;
        const ConversionSettings s = demoSettings(dir.path("C.mlpackage"));
        CancelToken token;
        token.cancel();
        Error e = errorOf([&] { convertModel(s, {}, &token); });
        QCOMPARE(e.kind(), ErrorKind::Cancelled);
        QVERIFY(!fs::exists(s.outputPath));

        // Cancelled between passes, over an existing package: it stays as it was.
        fs::create_directories(s.outputPath);
        std::ofstream(s.outputPath + "/marker") << "old";
        CancelToken during;
        e = errorOf([&] {
            convertModel(s, [&](Stage st, double, const std::string&) {
                if (st == Stage::Passes) during.cancel();
            }, &during);
        });
        QCOMPARE(e.kind(), ErrorKind::Cancelled);
        QVERIFY(fs::exists(s.outputPath + "/marker"));
        QVERIFY(!fs::exists(s.outputPath + "/Manifest.json"));
        for (const auto& entry : fs::directory_iterator(dir.path()))
            QVERIFY2(entry.path().filename() == "C.mlpackage", entry.path().c_str());  // no temporary left over
    }

    void wrongInputShapeNamesTheFileAndNode() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("W.mlpackage"));
        s.inputs = {parseInputSpec("image:1x4x224x224")};
        Error e = errorOf([&] { convertModel(s); });
        QVERIFY2(e.kind() == ErrorKind::Conversion || e.kind() == ErrorKind::Unsupported, e.what());
        QCOMPARE(e.file(), s.modelPath);
        QVERIFY_CONTAINS(e.node(), "stem");
        QVERIFY(!fs::exists(s.outputPath));
    }

    void outputMustBeAnMlpackage() {
        ConversionSettings s = demoSettings("/tmp/not-a-package.mlmodel");
        Error e = errorOf([&] { convertModel(s); });
        QCOMPARE(e.kind(), ErrorKind::Settings);
        QVERIFY_CONTAINS(e.what(), ".mlpackage");
    }
};

QTEST_APPLESS_MAIN(TestConverter)
#include "test_converter.moc"
