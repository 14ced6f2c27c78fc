// The translations are complete: lupdate is run over today's sources into copies of the .ts files
// (so a new tr() string shows up as unfinished even when nobody re-ran `ninja update_translations`),
// and every message then needs a finished, non-empty translation that keeps the source's %1/%n
// placeholders and, where the source has a mnemonic (&File), one of its own.
#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QXmlStreamReader>

#include <set>

#include "support/test_support.h"

namespace {

struct Message {
    QString context;
    QString source;
    QString translationType;  // "", "unfinished", "vanished", "obsolete"
    QStringList forms;        // one per plural form, or the single translation
    bool numerus = false;
};

QList<Message> readTs(const QString& path, QString* language) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QXmlStreamReader xml(&f);
    QList<Message> messages;
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("TS")) {
            *language = xml.attributes().value("language").toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            m = Message{context, {}, {}, {}, xml.attributes().value("numerus") == QLatin1String("yes")};
        } else if (name == QLatin1String("source")) {
            m.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            m.translationType = xml.attributes().value("type").toString();
            if (!m.numerus) {
                m.forms << xml.readElementText();
                messages << m;
            } else {
                // <numerusform> children
                while (xml.readNextStartElement()) m.forms << xml.readElementText();
                messages << m;
            }
        }
    }
    return messages;
}

std::multiset<QString> placeholders(const QString& text) {
    static const QRegularExpression re(QStringLiteral("%(?:L?\\d+|n)"));
    std::multiset<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();) found.insert(it.next().captured().remove(QLatin1Char('L')));
    return found;
}

bool hasMnemonic(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&')) continue;
        if (text[i + 1] == QLatin1Char('&')) { ++i; continue; }
        if (text[i + 1].isSpace()) continue;
        // HTML entities (&nbsp;, &lt;) are not mnemonics.
        static const QRegularExpression entity(QStringLiteral("^&[a-zA-Z]+;|^&#\\d+;"));
        if (entity.match(text.mid(i)).hasMatch()) continue;
        return true;
    }
    return false;
}

QString lupdatePath() {
    for (const auto location : {QLibraryInfo::BinariesPath, QLibraryInfo::LibraryExecutablesPath}) {
        const QString p = QDir(QLibraryInfo::path(location)).filePath(QStringLiteral("lupdate"));
        if (QFileInfo(p).isExecutable()) return p;
    }
    return QStandardPaths::findExecutable(QStringLiteral("lupdate"));
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void everyStringIsTranslated_data();
    void everyStringIsTranslated();
};

void TestTranslations::everyStringIsTranslated_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("language");
    QTest::newRow("de") << QStringLiteral("coreml-studio_de.ts") << QStringLiteral("de");
    QTest::newRow("zh_CN") << QStringLiteral("coreml-studio_zh_CN.ts") << QStringLiteral("zh_CN");
}

void TestTranslations::everyStringIsTranslated() {
    QFETCH(QString, file);
    QFETCH(QString, language);
    const QString lupdate = lupdatePath();
    QVERIFY2(!lupdate.isEmpty(), "lupdate (qt6-tools-dev-tools) is not installed");
    cms::test::ScratchDir scratch;
    const QString copy = QString::fromStdString(scratch.path(file.toStdString()));
    QVERIFY(QFile::copy(QStringLiteral(CMS_SOURCE_DIR "/translations/") + file, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    // The same scan `ninja update_translations` does: every source of cms_ui (the studio's widgets).
    QProcess p;
    p.start(lupdate, {"-no-obsolete", "-locations", "none", "-silent", QStringLiteral(CMS_SOURCE_DIR "/ui"), "-ts", copy});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());

    QString tsLanguage;
    const QList<Message> messages = readTs(copy, &tsLanguage);
    QCOMPARE(tsLanguage, language);
    QVERIFY2(messages.size() > 100, "the studio has more strings than that: the scan found too few");
    QStringList problems;
    for (const Message& m : messages) {
        const QString where = QStringLiteral("[%1] \"%2\"").arg(m.context, m.source.left(80));
        if (!m.translationType.isEmpty()) {
            problems << QStringLiteral("%1: %2").arg(where, m.translationType);
            continue;
        }
        for (const QString& form : m.forms) {
            if (form.trimmed().isEmpty()) {
                problems << where + ": empty translation";
                continue;
            }
            auto want = placeholders(m.source), got = placeholders(form);
            // A plural form may leave out %n ("eine Operation") when the source has it.
            if (m.numerus) {
                want.erase(QStringLiteral("%n"));
                got.erase(QStringLiteral("%n"));
            }
            if (want != got) problems << where + ": placeholders differ in \"" + form + "\"";
            if (hasMnemonic(m.source) && !hasMnemonic(form)) problems << where + ": no mnemonic in \"" + form + "\"";
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 of %2 messages in %3:\n").arg(problems.size())
                                                .arg(messages.size())
                                                .arg(file) +
                                            problems.join(QLatin1Char('\n'))));
}

QTEST_APPLESS_MAIN(TestTranslations)
#include "test_translations.moc"
