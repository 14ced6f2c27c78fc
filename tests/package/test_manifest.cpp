// Manifest.json: fields as Core ML's tools write them, identifier form, item lookup, validation.
#include <QRegularExpression>

#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "package/manifest.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::package;

class TestManifest : public QObject {
    Q_OBJECT
private slots:
    void identifiersAreUpperCaseRandomUuids() {
        const QRegularExpression form("^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$");
        std::set<std::string> seen;
        for (int i = 0; i < 200; ++i) {
            const std::string id = newItemIdentifier();
            QVERIFY2(form.match(QString::fromStdString(id)).hasMatch(), id.c_str());
            seen.insert(id);
        }
        QCOMPARE(seen.size(), size_t(200));
    }

    void writesCoreMLFields() {
        Manifest m;
        const std::string modelId = m.addItem("model.mlmodel", "com.apple.CoreML", "CoreML Model Specification").identifier;
        m.setRootModel(modelId);
        m.addItem("weights", "com.apple.CoreML", "CoreML Model Weights");
        const std::string text = m.toJson();
        QVERIFY(text.back() == '\n');
        QVERIFY(text.find("\n    \"fileFormatVersion\": \"1.0.0\"") != std::string::npos);  // four-space indent
        const auto j = nlohmann::json::parse(text);
        QCOMPARE(j["fileFormatVersion"].get<std::string>(), std::string("1.0.0"));
        QCOMPARE(j["rootModelIdentifier"].get<std::string>(), modelId);
        QCOMPARE(j["itemInfoEntries"].size(), size_t(2));
        const auto& root = j["itemInfoEntries"][modelId];
        QCOMPARE(root["path"].get<std::string>(), std::string("com.apple.CoreML/model.mlmodel"));
        QCOMPARE(root["name"].get<std::string>(), std::string("model.mlmodel"));
        QCOMPARE(root["author"].get<std::string>(), std::string("com.apple.CoreML"));
        QCOMPARE(root["description"].get<std::string>(), std::string("CoreML Model Specification"));
        // Keys sorted, as nlohmann writes objects: author, description, name, path.
        QVERIFY(text.find("\"author\"") < text.find("\"description\""));
        QVERIFY(text.find("\"name\"") < text.find("\"path\""));
    }

    void parsesAndLooksUpItems() {
        Manifest m;
        const std::string modelId = m.addItem("model.mlmodel", "com.apple.CoreML", "CoreML Model Specification").identifier;
        m.setRootModel(modelId);
        const std::string provId = m.addItem("provenance.json", "com.coreml-studio", "provenance").identifier;
        const Manifest back = Manifest::fromJson(m.toJson(), "Manifest.json");
        QCOMPARE(back.items().size(), size_t(2));
        QVERIFY(back.rootModel());
        QCOMPARE(back.rootModel()->path, std::string("com.apple.CoreML/model.mlmodel"));
        QVERIFY(back.findItem(provId));
        QCOMPARE(back.findItem("provenance.json", "com.coreml-studio")->identifier, provId);
        QVERIFY(!back.findItem("provenance.json", "com.apple.CoreML"));
        QVERIFY(!back.findItem("no-such-id"));
        QVERIFY_THROWS_EXCEPTION(Error, m.addItem("model.mlmodel", "com.apple.CoreML", "again"));
    }

    void rejectsInvalidManifests() {
        const auto rejects = [](const std::string& text, const std::string& mention) {
            try {
                Manifest::fromJson(text, "/x/Manifest.json");
                return false;
            } catch (const Error& e) {
                return e.kind() == ErrorKind::Package && e.file() == "/x/Manifest.json" &&
                       std::string(e.what()).find(mention) != std::string::npos;
            }
        };
        QVERIFY(rejects("{not json", "not valid JSON"));
        QVERIFY(rejects("[]", "not a JSON object"));
        QVERIFY(rejects("{}", "fileFormatVersion"));
        QVERIFY(rejects(R"({"fileFormatVersion": "2.0.0"})", "2.0.0"));
        QVERIFY(rejects(R"({"fileFormatVersion": "1.0"})", "1.0"));
        QVERIFY(rejects(R"({"fileFormatVersion": "1.0.0", "itemInfoEntries": {"A": {"path": "p", "name": "n"}}})",
                        "author"));
        QVERIFY(rejects(R"({"fileFormatVersion": "1.0.0", "itemInfoEntries": {}, "rootModelIdentifier": "B"})",
                        "names no item"));
        QVERIFY(rejects(R"({"fileFormatVersion": "1.0.0", "itemInfoEntries": {"A": {"path": "../../etc/passwd",
                        "name": "n", "author": "a", "description": "d"}}})", "outside"));
    }
};

QTEST_APPLESS_MAIN(TestManifest)
#include "test_manifest.moc"
