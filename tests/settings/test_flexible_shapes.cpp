// Flexible input shapes in the settings document: the --input forms (ranges, enumerated shapes),
// the JSON form, their round trips and errors, and the converter refusing them by name.
#include "common/error.h"
#include "converter.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

using namespace cms;

namespace {

template <class Fn> QString errorOf(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Settings) return QString("wrong kind: ") + errorKindName(e.kind());
        return QString::fromStdString(e.what());
    }
    return "no error thrown";
}

}  // namespace

class TestFlexibleShapes : public QObject {
    Q_OBJECT
private slots:
    void parsesRangesWithDefaults() {
        const InputSpec in = parseInputSpec("x:1x3x(64..512)x(64..=224)");
        QCOMPARE(in.shape, (Shape{1, 3, 64, 224}));
        QVERIFY(in.hasRanges());
        QCOMPARE(in.ranges.size(), size_t(4));
        QVERIFY(!in.ranges[0] && !in.ranges[1]);
        QCOMPARE(in.ranges[2]->lower, int64_t(64));
        QCOMPARE(in.ranges[2]->upper, int64_t(512));
        QCOMPARE(in.ranges[3]->upper, int64_t(-1));  // unbounded
        QCOMPARE(QString::fromStdString(formatInputSpec(in)), QString("x:1x3x(64..512)x(64..=224)"));
        QVERIFY(parseInputSpec(formatInputSpec(in)) == in);

        const InputSpec withDefault = parseInputSpec("x:1x(1..1024=128)");
        QCOMPARE(withDefault.shape, (Shape{1, 128}));
        QVERIFY(in.isFlexible());
    }

    void parsesEnumeratedShapes() {
        const InputSpec in = parseInputSpec("x:enum(1x3x224x224,1x3x256x256):image,scale=1/255");
        QCOMPARE(in.enumeratedShapes.size(), size_t(2));
        QCOMPARE(in.shape, (Shape{1, 3, 224, 224}));  // the first is the default
        QVERIFY(in.image);
        QVERIFY(parseInputSpec(formatInputSpec(in)) == in);

        const InputSpec other = parseInputSpec("x:enum(1x8,1x16)=1x16");
        QCOMPARE(other.shape, (Shape{1, 16}));
        QCOMPARE(QString::fromStdString(formatInputShape(other)), QString("enum(1x8,1x16)=1x16"));
        QVERIFY(parseInputSpec(formatInputSpec(other)) == other);
    }

    void fixedShapesKeepTheirForm() {
        const InputSpec in = parseInputSpec("x:1x3x224x224");
        QVERIFY(!in.isFlexible());
        QCOMPARE(QString::fromStdString(formatInputShape(in)), QString("1x3x224x224"));
    }

    void badFlexibleFormsAreNamed() {
        QVERIFY(errorOf([] { parseInputSpec("x:1x(512..64)"); }).contains("below the lower bound"));
        QVERIFY(errorOf([] { parseInputSpec("x:1x(64..512=8)"); }).contains("outside its range"));
        QVERIFY(errorOf([] { parseInputSpec("x:1x(64-512)"); }).contains("(64..512)"));
        QVERIFY(errorOf([] { parseInputSpec("x:enum(1x8,1x8x2)"); }).contains("same rank"));
        QVERIFY(errorOf([] { parseInputSpec("x:enum(1x8,1x16)=1x4"); }).contains("must be one of the enumerated"));
        QVERIFY(errorOf([] { parseInputSpec("x:enum(1x8"); }).contains("not closed"));
        QVERIFY(errorOf([] { parseInputSpec("x:1x(1..3)x8x8:image"); }).contains("cannot be flexible"));
        // The hint shows the flexible forms.
        QVERIFY(errorOf([] { parseInputSpec("x:1x(a..b)"); }).contains("enum(1x3x224x224"));
    }

    void jsonRoundTrip() {
        ConversionSettings s;
        s.inputs = {parseInputSpec("image:1x3x(64..512=224)x(64..512=224):image,scale=1/255"),
                    parseInputSpec("tokens:enum(1x64,1x128,1x256)=1x128:dtype=int32"),
                    parseInputSpec("fixed:2x4")};
        const std::string json = settingsToJson(s);
        QVERIFY2(json.find("\"lower\": 64") != std::string::npos, json.c_str());
        QVERIFY(json.find("\"enumeratedShapes\"") != std::string::npos);
        const ConversionSettings back = settingsFromJson(json, "p.json");
        QVERIFY(back == s);
        QCOMPARE(back.inputs[0].shape, (Shape{1, 3, 224, 224}));
        QCOMPARE(back.inputs[1].shape, (Shape{1, 128}));

        // Changing one bound breaks equality: the ranges really are part of the document.
        ConversionSettings t = s;
        t.inputs[0].ranges[2]->upper = 256;
        QVERIFY(!(settingsFromJson(settingsToJson(t)) == s));
    }

    void jsonErrorsNameTheKey() {
        const auto err = [](const char* json) { return errorOf([json] { settingsFromJson(json, "p.json"); }); };
        QVERIFY(err(R"({"inputs": [{"name": "x", "shape": [1, {"upper": 4}]}]})").contains("inputs[0].shape[1]"));
        QVERIFY(err(R"({"inputs": [{"name": "x", "shape": [1, {"lower": 1, "uper": 4}]}]})").contains("did you mean"));
        QVERIFY(err(R"({"inputs": [{"name": "x", "shape": [1, {"lower": 8, "upper": 4}]}]})").contains("below the lower"));
        QVERIFY(err(R"({"inputs": [{"name": "x", "enumeratedShapes": [[1, 2], [1]]}]})").contains("same rank"));
        QVERIFY(err(R"({"inputs": [{"name": "x", "enumeratedShapes": []}]})").contains("inputs[0].enumeratedShapes"));
        QVERIFY(err(R"({"inputs": [{"name": "x", "shape": [1, {"lower": 8, "upper": 4}]}]})").startsWith("p.json"));
    }

    void converterChecksFlexibleShapesBeforeReadingTheModel() {
        ConversionSettings s;
        s.modelPath = "model.pt";
        s.outputPath = "Out.mlpackage";
        // ML Programs need bounded ranges: the dimension is named and a bound suggested.
        s.inputs = {parseInputSpec("x:1x3x(64..)x224")};
        const QString unbounded = errorOf([&] { convertModel(s); });
        QVERIFY2(unbounded.contains("input \"x\" dimension 2 has no upper bound"), qPrintable(unbounded));
        QVERIFY(unbounded.startsWith("model.pt"));

        // Enumerated shapes on two inputs need iOS18, and the same number of shapes each.
        s.inputs = {parseInputSpec("a:enum(1x8,1x16)"), parseInputSpec("b:enum(1x4,1x5)")};
        const QString twoInputs = errorOf([&] { convertModel(s); });
        QVERIFY2(twoInputs.contains("only from iOS18 on"), qPrintable(twoInputs));
        QVERIFY(twoInputs.contains("--target iOS18"));               // raise the target
        QVERIFY(twoInputs.contains("keep enumerated shapes on one"));  // or drop the setting
        s.target = mil::Target::iOS18;
        s.inputs = {parseInputSpec("a:enum(1x8,1x16)"), parseInputSpec("b:enum(1x4,1x5,1x6)")};
        QVERIFY(errorOf([&] { convertModel(s); }).contains("in different numbers"));

        // Bounded ranges and enumerated shapes get past the checks (and fail later, on the missing
        // file, as an input error).
        for (const char* spec : {"x:1x3x(64..512)x(64..512)", "x:enum(1x3x224x224,1x3x256x256)"}) {
            s.inputs = {parseInputSpec(spec)};
            try {
                convertModel(s);
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Input);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestFlexibleShapes)
#include "test_flexible_shapes.moc"
