// The settings widgets and workspace pieces on their own: image presets, the range editor,
// the project document's undo merging and file round trip, recent files.
#include "support/test_support.h"

#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QUndoStack>

#include <fstream>

#include "settings/image_presets.h"
#include "settings/shape_editor.h"
#include "workspace/project_document.h"
#include "workspace/recent_files.h"

using namespace cms;
using namespace cms::ui;

class TestSettingsPanels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(settingsDir_.path()));
        QCoreApplication::setOrganizationName("cms-panels-test");
    }

    void presetsComputeScaleAndBias() {
        const ImageSpec rgb = *imagePreset(ImagePreset::ImageNet, ColorLayout::RGB);
        QCOMPARE(rgb.scale, 1.0 / (0.229 * 255.0));
        QCOMPARE(rgb.bias, (std::vector<double>{-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225}));
        // BGR packages take the bias in their own channel order.
        QCOMPARE(imagePreset(ImagePreset::ImageNet, ColorLayout::BGR)->bias,
                 (std::vector<double>{-0.406 / 0.225, -0.456 / 0.224, -0.485 / 0.229}));
        QVERIFY(!imagePreset(ImagePreset::ImageNet, ColorLayout::Grayscale));
        const ImageSpec gray = *imagePreset(ImagePreset::MinusOneToOne, ColorLayout::Grayscale);
        QCOMPARE(gray.scale, 2.0 / 255.0);
        QCOMPARE(gray.bias, (std::vector<double>{-1.0}));
        QCOMPARE(imagePreset(ImagePreset::ZeroToOne, ColorLayout::RGB)->scale, 1.0 / 255.0);

        QCOMPARE(matchingPreset(rgb), std::optional<ImagePreset>(ImagePreset::ImageNet));
        ImageSpec zeroToOne{ColorLayout::RGB, 1.0 / 255.0, {}};  // no bias means zeros
        QCOMPARE(matchingPreset(zeroToOne), std::optional<ImagePreset>(ImagePreset::ZeroToOne));
        QVERIFY(!matchingPreset(ImageSpec{ColorLayout::RGB, 0.5, {}}));
    }

    void rangeEditorEditsBoundsAndRefusesBadOnes() {
        ShapeEditor editor;
        QSignalSpy edited(&editor, &ShapeEditor::edited);
        edited.clear();
        QSignalSpy invalid(&editor, &ShapeEditor::invalid);
        InputSpec in = parseInputSpec("x:1x3x224x224");
        editor.setInput(in);
        QCOMPARE(edited.count(), 0);  // showing is not editing

        editor.modeBox()->setCurrentIndex(editor.modeBox()->findData(int(ShapeEditor::Mode::Ranges)));
        QCOMPARE(edited.count(), 1);
        in = edited.takeFirst().at(0).value<InputSpec>();
        QVERIFY(in.hasRanges());
        QVERIFY(!in.ranges[0] && !in.ranges[1]);
        QCOMPARE(in.ranges[2]->upper, int64_t(896));  // the spatial dimensions start free up to 4x

        editor.setInput(in);
        editor.dimensionsTable()->item(3, 1)->setText("64");
        editor.dimensionsTable()->item(3, 2)->setText("");  // unbounded
        QCOMPARE(edited.count(), 2);  // one edit per cell
        in = edited.takeLast().at(0).value<InputSpec>();
        QCOMPARE(in.ranges[3]->lower, int64_t(64));
        QCOMPARE(in.ranges[3]->upper, int64_t(-1));
        QCOMPARE(QString::fromStdString(formatInputShape(in)), QString("1x3x(1..896=224)x(64..=224)"));

        editor.setInput(in);
        edited.clear();
        editor.dimensionsTable()->item(2, 1)->setText("500");  // above the default size 224
        QCOMPARE(edited.count(), 0);
        QCOMPARE(invalid.count(), 1);
        QVERIFY2(invalid.takeFirst().at(0).toString().contains("outside its range"), "names the problem");
        QCOMPARE(editor.dimensionsTable()->item(2, 1)->text(), QString("1"));  // shows the document again
    }

    void documentMergesEditsOfOneFieldAndSavesRelativePaths() {
        test::ScratchDir dir;
        ProjectDocument doc;
        QSignalSpy modified(&doc, &ProjectDocument::modifiedChanged);
        ConversionSettings s;
        s.modelPath = dir.path("models/m.pt");
        s.outputPath = dir.path("out/M.mlpackage");
        doc.reset(s);
        QVERIFY(!doc.isModified());

        ConversionSettings a = s;
        a.metadata.author = "A";
        doc.edit(a, "author", "author");
        a.metadata.author = "Ad";
        doc.edit(a, "author", "author");
        ConversionSettings b = a;
        b.precision = Precision::Float32;
        doc.edit(b, "precision", "precision");
        QCOMPARE(doc.undoStack()->count(), 2);
        QVERIFY(doc.isModified());
        QCOMPARE(modified.count() >= 2, true);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QVERIFY(doc.settings() == s);
        QVERIFY(!doc.isModified());  // back at the saved state
        doc.undoStack()->redo();
        QCOMPARE(QString::fromStdString(doc.settings().metadata.author), QString("Ad"));
        doc.edit(doc.settings(), "nothing");  // no change: no undo step
        QCOMPARE(doc.undoStack()->index(), 1);

        const QString project = QString::fromStdString(dir.path("p.cmsproj"));
        doc.save(project);
        QVERIFY(!doc.isModified());
        std::ifstream in(project.toStdString());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY2(text.find("\"model\": \"models/m.pt\"") != std::string::npos, text.c_str());
        QVERIFY(text.find("\"output\": \"out/M.mlpackage\"") != std::string::npos);

        ProjectDocument reopened;
        reopened.load(project);
        QVERIFY(reopened.settings() == doc.settings());
        QCOMPARE(reopened.filePath(), project);
        QCOMPARE(reopened.undoStack()->count(), 0);
    }

    void recentFilesNewestFirstBoundedAndCleared() {
        test::ScratchDir dir;
        RecentFiles recent;
        recent.clear();
        QStringList paths;
        for (int i = 0; i < RecentFiles::kMaxEntries + 2; ++i) {
            paths << QString::fromStdString(dir.path("m" + std::to_string(i) + ".pt"));
            std::ofstream(paths.last().toStdString()) << "x";
            recent.add(RecentFiles::Kind::Model, paths.last());
        }
        recent.add(RecentFiles::Kind::Model, paths[5]);  // again: moves to the front
        const QStringList listed = recent.list(RecentFiles::Kind::Model);
        QCOMPARE(listed.size(), RecentFiles::kMaxEntries);
        QCOMPARE(listed.first(), paths[5]);
        QCOMPARE(listed[1], paths.last());
        QVERIFY(!listed.contains(paths[0]));
        QVERIFY(recent.list(RecentFiles::Kind::Project).isEmpty());

        QFile::remove(paths.last());  // a file that is gone is not offered
        QVERIFY(!recent.list(RecentFiles::Kind::Model).contains(paths.last()));
        QSignalSpy changed(&recent, &RecentFiles::changed);
        recent.clear();
        QCOMPARE(changed.count(), 1);
        QVERIFY(recent.list(RecentFiles::Kind::Model).isEmpty());
    }

private:
    test::ScratchDir settingsDir_;
};

QTEST_MAIN(TestSettingsPanels)
#include "test_settings_panels.moc"
