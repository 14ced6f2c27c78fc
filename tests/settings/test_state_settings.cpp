// States in the settings: the --state NAME:SHAPE form, the settings file's "states" list and its round trip,
// clear errors for malformed entries, and the converter refusing states below iOS18.
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
        return QString::fromStdString(std::string(e.what()) + " | " + e.hint());
    }
    return "no error thrown";
}

}  // namespace

class TestStateSettings : public QObject {
    Q_OBJECT
private slots:
    void parsesTheCommandLineForm() {
        const StateSpec st = parseStateSpec("layers.0.k_cache:6x1x8x64x64");
        QCOMPARE(st.name, std::string("layers.0.k_cache"));
        QCOMPARE(st.shape, (Shape{6, 1, 8, 64, 64}));
        QCOMPARE(formatStateSpec(st), std::string("layers.0.k_cache:6x1x8x64x64"));
        QVERIFY(parseStateSpec(formatStateSpec(st)) == st);
        QCOMPARE(parseStateSpec("c:4").shape, (Shape{4}));
    }

    void refusesMalformedForms() {
        for (const char* bad :
             {"k_cache", "k_cache:", ":1x2", "k_cache:1x0", "k_cache:1xx2", "k_cache:1x-2", "k:2.5"}) {
            const QString e = errorOf([&] { parseStateSpec(bad); });
            QVERIFY2(e.contains("--state") && e.contains("NAME:SHAPE"), qPrintable(QString(bad) + ": " + e));
        }
    }

    void roundTripsThroughJson() {
        ConversionSettings s;
        s.modelPath = "llama.pt";
        s.target = mil::Target::iOS18;
        s.states = {parseStateSpec("k_cache:6x1x8x64x64"), parseStateSpec("v_cache:6x1x8x64x64")};
        const std::string json = settingsToJson(s);
        QVERIFY(json.find("\"states\"") != std::string::npos);
        const ConversionSettings back = settingsFromJson(json);
        QVERIFY(back == s);
        QCOMPARE(back.states.size(), size_t(2));
        QCOMPARE(back.states[1].name, std::string("v_cache"));
        // Without states the key is left out, so older files stay as they were.
        ConversionSettings none;
        QVERIFY(settingsToJson(none).find("states") == std::string::npos);
        QVERIFY(!(back == none));
    }

    void refusesBadJsonEntries() {
        const auto load = [](const std::string& states) {
            return errorOf([&] { settingsFromJson("{\"states\": " + states + "}", "p.json"); });
        };
        QVERIFY2(load("{}").contains("states"), qPrintable(load("{}")));
        QVERIFY2(load("[{\"shape\": [1]}]").contains("states[0]") && load("[{\"shape\": [1]}]").contains("name"),
                 qPrintable(load("[{\"shape\": [1]}]")));
        QVERIFY2(load("[{\"name\": \"k\"}]").contains("shape"), qPrintable(load("[{\"name\": \"k\"}]")));
        QVERIFY2(load("[{\"name\": \"k\", \"shape\": [0]}]").contains("states[0].shape"),
                 qPrintable(load("[{\"name\": \"k\", \"shape\": [0]}]")));
        QVERIFY2(load("[{\"name\": \"k\", \"shape\": [1], \"dtype\": \"fp32\"}]").contains("dtype"),
                 qPrintable(load("[{\"name\": \"k\", \"shape\": [1], \"dtype\": \"fp32\"}]")));
        const QString twice = load("[{\"name\": \"k\", \"shape\": [1]}, {\"name\": \"k\", \"shape\": [1]}]");
        QVERIFY2(twice.contains("twice"), qPrintable(twice));
    }

    void statesNeedIOS18() {
        ConversionSettings s;
        s.states = {parseStateSpec("k_cache:1x4")};
        s.target = mil::Target::iOS17;
        const QString e = errorOf([&] { checkDeploymentTarget(s); });
        QVERIFY2(e.contains("iOS18") && e.contains("--target iOS18") && e.contains("k_cache:1x4"), qPrintable(e));
        s.target = mil::Target::iOS18;
        checkDeploymentTarget(s);
    }
};

QTEST_APPLESS_MAIN(TestStateSettings)
#include "test_state_settings.moc"
