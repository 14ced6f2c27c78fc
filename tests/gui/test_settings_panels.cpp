// The settings widgets and workspace pieces on their own: image presets, the range editor,
// the project document's undo merging and file round trip, recent files, pruning rows of the
// quantization table.
#include "support/test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QUndoStack>

#include <fstream>

#include "settings/conversion_panel.h"
#include "settings/image_presets.h"
#include "settings/quantization_panel.h"
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

    void neverRunTheModelIsAnUndoableSetting() {
        ProjectDocument doc;
        ConversionPanel panel(&doc);
        QVERIFY(!panel.noReferenceBox()->isChecked());
        panel.noReferenceBox()->click();
        QVERIFY(doc.settings().noReference);
        QVERIFY(doc.isModified());
        QCOMPARE(doc.undoStack()->undoText(), QString("Never run the model's code"));
        doc.undoStack()->undo();
        QVERIFY(!doc.settings().noReference);
        QVERIFY(!panel.noReferenceBox()->isChecked());
        doc.undoStack()->redo();
        QVERIFY(panel.noReferenceBox()->isChecked());
        // A loaded document sets the box without recording an edit.
        ConversionSettings s;
        s.noReference = true;
        doc.reset(s);
        QVERIFY(panel.noReferenceBox()->isChecked());
        QCOMPARE(doc.undoStack()->count(), 0);
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

    void pruningRowsAreEditedInTheTableWithUndo() {
        ProjectDocument doc;
        ConversionSettings s;
        s.compression.global = OpCompression::defaults(CompressionMethod::LinearQuantize);
        doc.reset(s);
        QuantizationPanel panel(&doc);
        QSignalSpy invalid(&panel, &QuantizationPanel::invalid);
        QTableWidget* table = panel.table();
        QCOMPARE(table->rowCount(), 1);
        const auto widget = [table](int column) { return table->cellWidget(0, column); };
        const auto op = [&doc] { return *doc.settings().compression.global; };

        // Magnitude pruning: the method box turns the row into the pruner with its defaults.
        auto* method = qobject_cast<QComboBox*>(widget(QuantizationPanel::MethodColumn));
        method->setCurrentIndex(method->findData(int(CompressionMethod::MagnitudePrune)));
        emit method->activated(method->currentIndex());
        QTRY_VERIFY(table->cellWidget(0, QuantizationPanel::BitsColumn)->objectName() == "pruneTargetSparsity");
        QCOMPARE(op().method, CompressionMethod::MagnitudePrune);
        QCOMPARE(*op().targetSparsity, 0.5);

        // Target sparsity and block size, each an undoable edit.
        const int start = doc.undoStack()->index();
        auto* sparsity = qobject_cast<QDoubleSpinBox*>(widget(QuantizationPanel::BitsColumn));
        sparsity->setValue(0.75);
        emit sparsity->editingFinished();
        QCOMPARE(*op().targetSparsity, 0.75);
        QTRY_VERIFY(qobject_cast<QSpinBox*>(widget(QuantizationPanel::SizeColumn)));
        auto* block = qobject_cast<QSpinBox*>(widget(QuantizationPanel::SizeColumn));
        QVERIFY(!widget(QuantizationPanel::GranularityColumn)->isEnabled());  // dim needs blocks or n:m
        block->setValue(4);
        emit block->editingFinished();
        QCOMPARE(op().pruneBlockSize, std::optional<int>(4));
        QTRY_VERIFY(widget(QuantizationPanel::GranularityColumn)->isEnabled());
        auto* dim = qobject_cast<QComboBox*>(widget(QuantizationPanel::GranularityColumn));
        dim->setCurrentIndex(dim->findData(1));
        emit dim->activated(dim->currentIndex());
        QCOMPARE(op().pruneDim, std::optional<int>(1));
        QCOMPARE(doc.undoStack()->index(), start + 3);

        // n:m instead of a sparsity: 2:4 to start, then 1:4 typed; a ratio with n > m is refused.
        auto* mode = qobject_cast<QComboBox*>(widget(QuantizationPanel::ModeColumn));
        mode->setCurrentIndex(1);
        emit mode->activated(1);
        QCOMPARE(op().nmRatio, (std::optional<std::pair<int, int>>{{2, 4}}));
        QVERIFY(!op().targetSparsity && !op().pruneBlockSize);
        QTRY_VERIFY(table->cellWidget(0, QuantizationPanel::BitsColumn)->objectName() == "pruneNmRatio");
        auto* ratio = qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn));
        QCOMPARE(ratio->text(), QString("2:4"));
        QVERIFY(!widget(QuantizationPanel::SizeColumn)->isEnabled());
        ratio->setText("1:4");
        emit ratio->editingFinished();
        QCOMPARE(op().nmRatio, (std::optional<std::pair<int, int>>{{1, 4}}));
        QTRY_VERIFY(qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn)));
        const ConversionSettings beforeBad = doc.settings();
        ratio = qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn));
        ratio->setText("5:4");
        emit ratio->editingFinished();
        QCOMPARE(invalid.count(), 1);
        QVERIFY(doc.settings() == beforeBad);
        QTRY_VERIFY(qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn)) &&
                    qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn))->text() == "1:4");
        // What the table wrote is what the YAML says.
        QVERIFY(compressionToYaml(doc.settings().compression).find("n_m_ratio") != std::string::npos);

        // Undo walks back through every edit, to the sparsity of 0.75 and then the quantizer.
        doc.undoStack()->undo();
        QCOMPARE(op().nmRatio, (std::optional<std::pair<int, int>>{{2, 4}}));
        doc.undoStack()->undo();
        QCOMPARE(*op().targetSparsity, 0.75);
        QTRY_VERIFY(qobject_cast<QDoubleSpinBox*>(widget(QuantizationPanel::BitsColumn)) &&
                    qobject_cast<QDoubleSpinBox*>(widget(QuantizationPanel::BitsColumn))->value() == 0.75);
        doc.undoStack()->redo();
        QCOMPARE(op().nmRatio, (std::optional<std::pair<int, int>>{{2, 4}}));

        // Threshold pruning: the threshold typed in any notation and the minimum sparsity.
        method = qobject_cast<QComboBox*>(widget(QuantizationPanel::MethodColumn));
        method->setCurrentIndex(method->findData(int(CompressionMethod::ThresholdPrune)));
        emit method->activated(method->currentIndex());
        QTRY_VERIFY(table->cellWidget(0, QuantizationPanel::BitsColumn)->objectName() == "pruneThreshold");
        auto* threshold = qobject_cast<QLineEdit*>(widget(QuantizationPanel::BitsColumn));
        threshold->setText("1e-3");
        emit threshold->editingFinished();
        QCOMPARE(op().threshold, 1e-3);
        QTRY_VERIFY(qobject_cast<QDoubleSpinBox*>(widget(QuantizationPanel::GranularityColumn)));
        auto* minimum = qobject_cast<QDoubleSpinBox*>(widget(QuantizationPanel::GranularityColumn));
        minimum->setValue(0.25);
        emit minimum->editingFinished();
        QCOMPARE(op().minimumSparsity, 0.25);
        QCOMPARE(op().threshold, 1e-3);
        doc.undoStack()->undo();
        QCOMPARE(op().minimumSparsity, OpCompression::defaults(CompressionMethod::ThresholdPrune).minimumSparsity);
        QCOMPARE(op().threshold, 1e-3);
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
