// The settings document: JSON round trip, error messages naming file and key, the --input form.
#include "common/error.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

#include <filesystem>
#include <fstream>

using namespace cms;

namespace {

ConversionSettings everyFieldSet() {
    ConversionSettings s;
    s.modelPath = "models/resnet50.pt";
    s.outputPath = "out/ResNet50.mlpackage";
    InputSpec image{"image", {1, 3, 224, 224}, DType::Float32, ImageSpec{ColorLayout::BGR, 0.0174, {-2.11, -2.03, -1.80}}};
    InputSpec gray{"mask", {1, 1, 32, 48}, DType::Float32, ImageSpec{ColorLayout::Grayscale, 1.0 / 255.0, {0.5}}};
    InputSpec ids{"ids", {1, 77}, DType::Int32, std::nullopt};
    InputSpec half{"features", {2, 16}, DType::Float16, std::nullopt};
    s.inputs = {image, gray, ids, half};
    s.outputs = {{"logits"}, {"embedding"}};
    s.precision = Precision::Float32;
    s.target = mil::Target::iOS17;
    s.computeUnits = ComputeUnits::CpuAndNeuralEngine;
    s.fp32Ops = {"softmax", "layer4.*"};
    s.metadata.author = "Ada";
    s.metadata.license = "BSD-3-Clause";
    s.metadata.shortDescription = "A classifier";
    s.metadata.version = "2.1";
    s.metadata.userDefined = {{"dataset", "imagenet"}, {"quote", "a \"b\" \\ c"}};
    return s;
}

// The message of the cms::Error `fn` throws, or a failure marker when it throws nothing.
template <class Fn> QString errorOf(Fn fn, ErrorKind expectedKind = ErrorKind::Settings) {
    try {
        fn();
    } catch (const Error& e) {
        if (e.kind() != expectedKind) return QString("wrong kind: ") + errorKindName(e.kind());
        return QString::fromStdString(e.what());
    }
    return "no error thrown";
}

QString jsonError(const std::string& json) {
    return errorOf([&] { settingsFromJson(json, "settings.json"); });
}

}  // namespace

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    void jsonRoundTripKeepsEveryField() {
        const ConversionSettings s = everyFieldSet();
        const ConversionSettings back = settingsFromJson(settingsToJson(s), "x.json");
        QVERIFY(back == s);
        // Each field really is serialised: changing any one breaks equality after the trip.
        ConversionSettings t = s;
        t.inputs[0].image->bias[2] = -1.81;
        QVERIFY(settingsFromJson(settingsToJson(t)) != s);
        t = s;
        t.inputs[3].dtype = DType::Float32;
        QVERIFY(settingsFromJson(settingsToJson(t)) != s);
    }
    void defaultsRoundTripAndMatchTheDocumentedDefaults() {
        const ConversionSettings d;
        QVERIFY(settingsFromJson(settingsToJson(d)) == d);
        const ConversionSettings empty = settingsFromJson("{}");
        QCOMPARE(empty.precision, Precision::Float16);
        QCOMPARE(empty.target, mil::Target::iOS15);
        QCOMPARE(empty.computeUnits, ComputeUnits::All);
        QVERIFY(empty.inputs.empty());
    }
    void readsTheReadmeExample() {
        const ConversionSettings s = settingsFromJson(R"({
            "model": "resnet50.pt", "output": "ResNet50.mlpackage",
            "inputs": [{"name": "x", "shape": [1, 3, 224, 224],
                        "image": {"layout": "RGB", "scale": 0.0174, "bias": [-2.11, -2.03, -1.80]}}],
            "outputs": [{"name": "logits"}], "precision": "fp16", "target": "iOS16"})");
        QCOMPARE(s.inputs.size(), size_t(1));
        QCOMPARE(s.inputs[0].image->bias, (std::vector<double>{-2.11, -2.03, -1.80}));
        QCOMPARE(s.target, mil::Target::iOS16);
        QCOMPARE(s.outputs[0].name, std::string("logits"));
    }
    void badKeysAndValuesNameTheFileAndKey_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("typo at top") << R"({"precison": "fp16"})"
                                     << R"(settings.json: precison: unknown key; did you mean "precision"?)";
        QTest::newRow("typo in input") << R"({"inputs": [{"name": "x", "shpe": [1]}]})"
                                       << R"(settings.json: inputs[0].shpe: unknown key; did you mean "shape"?)";
        QTest::newRow("typo in image") << R"({"inputs": [{"name": "x", "shape": [1,3,8,8], "image": {"bais": []}}]})"
                                       << "settings.json: inputs[0].image.bais: unknown key";
        QTest::newRow("typo in metadata") << R"({"metadata": {"autor": "a"}})"
                                          << "settings.json: metadata.autor: unknown key";
        QTest::newRow("unrelated key") << R"({"zzz": 1})" << "settings.json: zzz: unknown key (allowed here:";
        QTest::newRow("shape negative") << R"({"inputs": [{"name": "x", "shape": [1, -3]}]})"
                                        << "settings.json: inputs[0].shape: expected a list of positive integers";
        QTest::newRow("shape string") << R"({"inputs": [{"name": "x", "shape": "1x3"}]})"
                                      << "settings.json: inputs[0].shape: expected a list of positive integers";
        QTest::newRow("shape float") << R"({"inputs": [{"name": "x", "shape": [1.5]}]})"
                                     << "settings.json: inputs[0].shape: expected a list of positive integers";
        QTest::newRow("shape missing") << R"({"inputs": [{"name": "x"}]})"
                                       << R"(settings.json: inputs[0]: missing "shape")";
        QTest::newRow("name missing") << R"({"inputs": [{"shape": [1]}]})"
                                      << R"(settings.json: inputs[0]: missing "name")";
        QTest::newRow("duplicate input") << R"({"inputs": [{"name": "x", "shape": [1]}, {"name": "x", "shape": [2]}]})"
                                         << R"(settings.json: inputs[1].name: "x" is listed twice)";
        QTest::newRow("dtype") << R"({"inputs": [{"name": "x", "shape": [1], "dtype": "int8"}]})"
                               << R"(settings.json: inputs[0].dtype: expected fp32, fp16 or int32, got "int8")";
        QTest::newRow("layout") << R"({"inputs": [{"name": "x", "shape": [1,3,4,4], "image": {"layout": "RGBA"}}]})"
                                << R"(settings.json: inputs[0].image.layout: expected RGB, BGR or GRAYSCALE, got "RGBA")";
        QTest::newRow("scale") << R"({"inputs": [{"name": "x", "shape": [1,3,4,4], "image": {"scale": "big"}}]})"
                               << "settings.json: inputs[0].image.scale: expected a number";
        QTest::newRow("bias count") << R"({"inputs": [{"name": "x", "shape": [1,3,4,4], "image": {"bias": [1, 2]}}]})"
                                    << "settings.json: inputs[0].image.bias: expected 3 values (one per channel), got 2";
        QTest::newRow("image rank") << R"({"inputs": [{"name": "x", "shape": [3,4,4], "image": {}}]})"
                                    << "settings.json: inputs[0].shape: an RGB image input needs the shape [1, 3, H, W]";
        QTest::newRow("image channels") << R"({"inputs": [{"name": "x", "shape": [1,3,4,4], "image": {"layout": "GRAYSCALE"}}]})"
                                        << "settings.json: inputs[0].shape: a GRAYSCALE image input needs the shape [1, 1, H, W]";
        QTest::newRow("image fp16") << R"({"inputs": [{"name": "x", "shape": [1,3,4,4], "dtype": "fp16", "image": {}}]})"
                                    << "settings.json: inputs[0].dtype: image inputs are 8-bit images";
        QTest::newRow("inputs not list") << R"({"inputs": {"name": "x"}})"
                                         << "settings.json: inputs: expected a list of input objects";
        QTest::newRow("output name") << R"({"outputs": [{"name": 3}]})"
                                     << "settings.json: outputs[0].name: expected a string";
        QTest::newRow("output key") << R"({"outputs": [{"nmae": "y"}]})"
                                    << "settings.json: outputs[0].nmae: unknown key";
        QTest::newRow("precision") << R"({"precision": "int8"})"
                                   << R"(settings.json: precision: expected "fp16" or "fp32", got "int8")";
        QTest::newRow("target") << R"({"target": "iOS14"})"
                                << R"(settings.json: target: expected iOS15, iOS16, iOS17 or iOS18, got "iOS14")";
        QTest::newRow("compute units") << R"({"computeUnits": "GPU"})" << "settings.json: computeUnits: expected ALL";
        QTest::newRow("fp32Ops") << R"({"fp32Ops": "softmax"})" << "settings.json: fp32Ops: expected a list of strings";
        QTest::newRow("userDefined") << R"({"metadata": {"userDefined": {"k": 1}}})"
                                     << "settings.json: metadata.userDefined.k: expected a string";
        QTest::newRow("model") << R"({"model": 5})" << "settings.json: model: expected a string";
        QTest::newRow("newer format") << R"({"settingsVersion": 99})"
                                      << "settings.json: settingsVersion: this file was written by a newer version";
        QTest::newRow("not an object") << "[1, 2]" << "settings.json: (document): expected an object";
        QTest::newRow("syntax") << "{\n  \"precision\": \"fp16\",\n}"
                                << "settings.json: not valid JSON: parse error at line 3";
    }
    void badKeysAndValuesNameTheFileAndKey() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const QString message = jsonError(json.toStdString());
        QVERIFY2(message.startsWith(expected), qPrintable(message));
        QVERIFY2(message.contains("What to do:"), qPrintable(message));
    }
    void saveAndLoadAreAtomicAndRoundTrip() {
        test::ScratchDir dir;
        const std::string path = dir.path("settings.json");
        const ConversionSettings s = everyFieldSet();
        saveSettings(s, path);
        QVERIFY(loadSettings(path) == s);
        ConversionSettings t = s;
        t.precision = Precision::Float16;
        saveSettings(t, path);  // replaces the existing file
        QVERIFY(loadSettings(path) == t);
        // No temporary files are left next to it.
        size_t files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
        QCOMPARE(files, size_t(1));
    }
    void saveIntoAMissingFolderFailsCleanly() {
        test::ScratchDir dir;
        const QString message = errorOf([&] { saveSettings(ConversionSettings{}, dir.path("no/such/dir/s.json")); });
        QVERIFY2(message.contains("no/such/dir/s.json: cannot write the settings file"), qPrintable(message));
    }
    void loadNamesAMissingFile() {
        const QString message = errorOf([] { loadSettings("/nonexistent/settings.json"); });
        QVERIFY2(message.startsWith("/nonexistent/settings.json: settings file not found"), qPrintable(message));
    }
    void loadNamesTheFileInValueErrors() {
        test::ScratchDir dir;
        const std::string path = dir.path("bad.json");
        std::ofstream(path) << R"({"inputs": [{"name": "x", "shape": [0]}]})";
        const QString message = errorOf([&] { loadSettings(path); });
        QVERIFY2(message.startsWith(QString::fromStdString(path + ": inputs[0].shape: expected a list of positive integers")),
                 qPrintable(message));
    }

    void parsesTheInputForms() {
        InputSpec t = parseInputSpec("x:1x3x224x224");
        QCOMPARE(t.name, std::string("x"));
        QCOMPARE(t.shape, (Shape{1, 3, 224, 224}));
        QCOMPARE(t.dtype, DType::Float32);
        QVERIFY(!t.image);

        InputSpec i = parseInputSpec("image:1x3x224x224:image,scale=0.0174,bias=-2.11,-2.03,-1.80,layout=BGR");
        QVERIFY(i.image);
        QCOMPARE(i.image->scale, 0.0174);
        QCOMPARE(i.image->bias, (std::vector<double>{-2.11, -2.03, -1.80}));
        QCOMPARE(i.image->layout, ColorLayout::BGR);

        InputSpec plain = parseInputSpec("img:1x3x8x8:image");
        QCOMPARE(plain.image->scale, 1.0);
        QVERIFY(plain.image->bias.empty());
        QCOMPARE(plain.image->layout, ColorLayout::RGB);

        InputSpec fraction = parseInputSpec("g:1x1x8x8:layout=GRAYSCALE,scale=1/255");
        QVERIFY(fraction.image);  // image options imply an image input
        QCOMPARE(fraction.image->scale, 1.0 / 255.0);

        QCOMPARE(parseInputSpec("ids:1x77:dtype=int32").dtype, DType::Int32);
        QCOMPARE(parseInputSpec("h:2x16:dtype=fp16").dtype, DType::Float16);
        QCOMPARE(parseInputSpec("s:5").shape, (Shape{5}));
    }
    void formatThenParseIsIdentity() {
        for (const InputSpec& in : everyFieldSet().inputs) {
            const std::string text = formatInputSpec(in);
            QVERIFY2(parseInputSpec(text) == in, text.c_str());
        }
        QCOMPARE(formatInputSpec(parseInputSpec("x:1x3x224x224:image,scale=0.0174,bias=-2.11,-2.03,-1.8")),
                 std::string("x:1x3x224x224:image,scale=0.0174,bias=-2.11,-2.03,-1.8,layout=RGB"));
        QCOMPARE(formatInputSpec(parseInputSpec("h:2x16:dtype=fp16")), std::string("h:2x16:dtype=fp16"));
    }
    void badInputFormsSayWhatIsWrong_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no shape") << "x" << "expected NAME:SHAPE";
        QTest::newRow("no name") << ":1x3" << "expected NAME:SHAPE";
        QTest::newRow("bad dim") << "x:1x3xAx4" << "shape \"1x3xAx4\": expected positive dimensions";
        QTest::newRow("zero dim") << "x:1x0" << "shape \"1x0\": expected positive dimensions";
        QTest::newRow("empty dim") << "x:1xx3" << "shape \"1xx3\": expected positive dimensions";
        QTest::newRow("unknown flag") << "x:1x3x8x8:imgae" << "unknown option \"imgae\"";
        QTest::newRow("unknown key") << "x:1x3x8x8:image,sclae=2" << "unknown option \"sclae\"";
        QTest::newRow("bad scale") << "x:1x3x8x8:image,scale=abc" << "scale \"abc\" is not a number";
        QTest::newRow("bad bias") << "x:1x3x8x8:image,bias=1,2,q" << "bias value \"q\" is not a number";
        QTest::newRow("bias count") << "x:1x3x8x8:image,bias=1,2" << "image.bias: expected 3 values";
        QTest::newRow("layout") << "x:1x3x8x8:layout=CMYK" << "layout \"CMYK\": expected RGB, BGR or GRAYSCALE";
        QTest::newRow("dtype") << "x:1x3:dtype=int64" << "dtype \"int64\": expected fp32, fp16 or int32";
        QTest::newRow("image rank") << "x:3x8x8:image" << "shape: an RGB image input needs the shape [1, 3, H, W]";
        QTest::newRow("image fp16") << "x:1x3x8x8:image:dtype=fp16" << "dtype: image inputs are 8-bit images";
        QTest::newRow("empty option") << "x:1x3x8x8:image,,scale=2" << "empty option";
    }
    void badInputFormsSayWhatIsWrong() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString message = errorOf([&] { parseInputSpec(text.toStdString()); });
        QVERIFY2(message.startsWith("--input \"" + text + "\": " + expected), qPrintable(message));
        QVERIFY2(message.contains("What to do: write the input as NAME:1x3x224x224"), qPrintable(message));
    }
    void namesOfEnumsRoundTrip() {
        for (ColorLayout c : {ColorLayout::RGB, ColorLayout::BGR, ColorLayout::Grayscale})
            QCOMPARE(colorLayoutFromName(colorLayoutName(c)), std::optional<ColorLayout>(c));
        for (Precision p : {Precision::Float16, Precision::Float32})
            QCOMPARE(precisionFromName(precisionName(p)), std::optional<Precision>(p));
        for (ComputeUnits c : {ComputeUnits::All, ComputeUnits::CpuAndGpu, ComputeUnits::CpuOnly,
                               ComputeUnits::CpuAndNeuralEngine})
            QCOMPARE(computeUnitsFromName(computeUnitsName(c)), std::optional<ComputeUnits>(c));
        QVERIFY(!precisionFromName("int8"));
        QVERIFY(!colorLayoutFromName("RGBA"));
        QVERIFY(!computeUnitsFromName("GPU"));
    }
};

QTEST_APPLESS_MAIN(TestSettings)
#include "test_settings.moc"
