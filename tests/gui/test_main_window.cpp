// The studio window as a user drives it: drop a model, enter shapes, set an image input with a
// preset and an enumerated shape, convert, undo/redo, save and reopen the project, load a YAML
// compression config, Open Recent, drop a package to inspect it, "compress as…" from the graph.
// Errors land in the results panel and never close the window.
#include "main_window.h"
#include "support/test_support.h"

#include <QComboBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QGraphicsItem>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableWidget>
#include <QUndoStack>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "package/package.h"
#include "settings/conversion_panel.h"
#include "settings/image_preprocessing_editor.h"
#include "settings/inputs_panel.h"
#include "settings/quantization_panel.h"
#include "settings/shape_editor.h"
#include "workspace/package_summary.h"
#include "workspace/project_document.h"
#include "workspace/recent_files.h"
#include "workspace/start_page.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

// A copy of the demo model in a scratch folder, with a settings file giving its input a shape.
std::string demoWithShape(const test::ScratchDir& dir, const char* shape = "[1, 3, 64, 64]") {
    fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
    std::ofstream(dir.path("demo_cnn.settings.json")) << R"({"inputs": [{"name": "image", "shape": )" << shape << "}]}";
    return dir.path("demo_cnn.pt");
}

void drop(QWidget* target, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent event(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &event);
}

QString panel(const ui::MainWindow& w) { return w.resultPanel()->toPlainText(); }

// A model is drawn first from its module outline; the full import (op count, weights, every node) follows
// on the worker, and tests that read those wait for it.
void waitForFullGraph(ui::MainWindow& w) {
    QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() && !w.graphView()->model()->isModuleOutline(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 60000);
}

void openAndWait(ui::MainWindow& w, const std::string& model) {
    w.openModel(QString::fromStdString(model));
    QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);
    waitForFullGraph(w);
}

void setOutput(ui::MainWindow& w, const std::string& path) {
    w.outputEdit()->setText(QString::fromStdString(path));
    emit w.outputEdit()->editingFinished();
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // Recent files go to a scratch settings file, not the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(settingsDir_.path()));
        QCoreApplication::setOrganizationName("cms-gui-test");
    }

    void dropsAModelAndConvertsAfterTheUserEntersAShape() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("model.pt"));
        ui::MainWindow w;
        QCOMPARE(w.pages()->currentIndex(), 0);  // the start page
        drop(&w, QString::fromStdString(dir.path("model.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(w.inputsTable()->rowCount(), 1, 30000);
        QCOMPARE(w.inputsTable()->item(0, 0)->text(), QString("image"));
        QTRY_VERIFY(panel(w).contains("Enter a shape"));
        QCOMPARE(w.pages()->currentIndex(), 1);
        waitForFullGraph(w);

        // No shape yet: the panel says so, nothing runs.
        w.convertButton()->click();
        QVERIFY2(panel(w).contains("has no shape"), qPrintable(panel(w)));
        QVERIFY(!w.runner()->busy());

        w.inputsTable()->item(0, 1)->setText("1x3x224x224");
        QCOMPARE(w.document()->settings().inputs.at(0).shape, (Shape{1, 3, 224, 224}));
        setOutput(w, dir.path("Demo.mlpackage"));
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 60000);
        QVERIFY(panel(w).contains(QString::fromStdString(dir.path("Demo.mlpackage"))));
        QVERIFY(fs::exists(dir.path("Demo.mlpackage/Manifest.json")));
        QTRY_VERIFY(w.convertButton()->isEnabled());
    }

    void drawsTheGraphAtOnceThenItsShapesAndProgram() {
        test::ScratchDir dir;
        ui::MainWindow w;
        QSignalSpy refreshed(w.shapeRunner(), &ui::ConversionRunner::programReady);
        QSignalSpy ready(w.runner(), &ui::ConversionRunner::programReady);
        bool checkedAtOpen = false;
        size_t opsAtOpen = 0;
        // Connected after the window's own handler: what the user sees the moment the import is done.
        QObject::connect(w.runner(), &ui::ConversionRunner::modelOpened, &w, [&] {
            checkedAtOpen = true;
            QVERIFY(w.graphView()->model() != nullptr);
            opsAtOpen = w.graphView()->model()->nodes().size();
            QVERIFY(!w.graphView()->programToggle()->isEnabled());  // the ML Program is still being made
            QVERIFY(w.runner()->annotating());
            QVERIFY(w.convertButton()->isEnabled());  // that lowering gives way to a conversion
            QVERIFY(w.graphView()->statusLabel()->text().contains("computing tensor shapes"));
        });
        w.openModel(QString::fromStdString(demoWithShape(dir)));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 30000);
        QVERIFY(checkedAtOpen);
        QVERIFY(w.graphView()->programToggle()->isEnabled());
        // The module outline drawn first (one box per submodule call) is replaced by the full graph.
        QVERIFY(!w.graphView()->model()->isModuleOutline());
        QVERIFY(w.graphView()->model()->nodes().size() > opsAtOpen);
        QTRY_VERIFY(!w.runner()->busy());
        const auto inputShape = [&w] { return w.graphView()->model()->graph()->top().inputs.at(0)->shape; };
        QCOMPARE(inputShape(), (Shape{1, 3, 64, 64}));
        // Opening set the document to the sidecar's inputs: that is no edit, so no second lowering.
        QTest::qWait(800);
        QVERIFY(!w.shapeRunner()->busy());
        QCOMPARE(refreshed.count(), 0);

        // A new input shape: after a pause the graph is lowered again and shows it, groups kept.
        const int group = w.graphView()->model()->group(graphview::kRootGroup).groups.front();
        w.graphView()->scene()->setGroupExpanded(group, true);
        w.inputsTable()->item(0, 1)->setText("1x3x32x32");
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 30000);
        QCOMPARE(inputShape(), (Shape{1, 3, 32, 32}));
        QVERIFY(w.graphView()->model()->expanded(group));

        // Converting while shapes are computed (resnet50: its full import and lowering take a while): the
        // lowering is dropped without waiting for it and says nothing; the conversion runs.
        fs::copy_file(test::testModel("tv_resnet50.pt"), dir.path("r50.pt"));
        std::ofstream(dir.path("r50.settings.json")) << R"({"inputs": [{"name": "x", "shape": [1, 3, 64, 64]}]})";
        ui::MainWindow early;
        QSignalSpy earlyOpened(early.runner(), &ui::ConversionRunner::modelOpened);
        bool annotatingAtOpen = false;
        QObject::connect(early.runner(), &ui::ConversionRunner::modelOpened, &early,
                         [&] { annotatingAtOpen = early.runner()->annotating(); });
        early.openModel(QString::fromStdString(dir.path("r50.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(earlyOpened.count(), 1, 60000);
        QVERIFY(annotatingAtOpen);
        setOutput(early, dir.path("Early.mlpackage"));
        QElapsedTimer click;
        click.start();
        early.convertButton()->click();
        qInfo("Convert during the lowering after the import returned in %lld ms", click.elapsed());
        QVERIFY(click.elapsed() < 1000 * test::kSanitizerSlowdown);
        QVERIFY(!early.runner()->annotating());
        QTRY_VERIFY_WITH_TIMEOUT(panel(early).startsWith("Wrote"), 120000);
        QVERIFY(fs::exists(dir.path("Early.mlpackage/Manifest.json")));
    }

    void showsErrorsInThePanelAndKeepsGoing() {
        test::ScratchDir dir;
        ui::MainWindow w;
        openAndWait(w, test::testModel("demo_cnn.pt"));
        w.inputsTable()->item(0, 1)->setText("1x4x224x224");
        setOutput(w, dir.path("Bad.mlpackage"));
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("conversion error"), 60000);
        QVERIFY(panel(w).contains("demo_cnn.pt"));
        QVERIFY(!fs::exists(dir.path("Bad.mlpackage")));
        QTRY_VERIFY(w.convertButton()->isEnabled());

        // A bad cell is refused at once, named, and the table shows the document again.
        w.inputsTable()->item(0, 1)->setText("1x3x224x224");
        w.inputsTable()->item(0, 2)->setText("image,bias=1,2");  // two biases for three channels
        QVERIFY2(panel(w).contains("expected 3 values"), qPrintable(panel(w)));
        QVERIFY(panel(w).contains("Input \"image\""));
        QCOMPARE(w.inputsTable()->item(0, 2)->text(), QString());
        QVERIFY(!w.document()->settings().inputs.at(0).image);

        // A broken file: the window says so and stays usable. (The edits above are saved or dropped
        // first: the window asks; here they are dropped.)
        w.document()->reset(w.document()->settings());
        w.openModel(QString::fromStdString(test::testModel("truncated.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("input error"), 30000);
        QVERIFY(panel(w).contains("truncated.pt"));
        QVERIFY(w.convertButton()->isEnabled());
    }

    void readsTheSettingsFileBesideTheModel() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo_cnn.settings.json"))
            << R"({"inputs": [{"name": "image", "shape": [1, 3, 96, 96], "image": {"scale": 0.5}}],
                  "output": "out/Demo.mlpackage", "precision": "fp32"})";
        ui::MainWindow w;
        openAndWait(w, dir.path("demo_cnn.pt"));
        QCOMPARE(w.inputsTable()->item(0, 1)->text(), QString("1x3x96x96"));
        QCOMPARE(w.inputsTable()->item(0, 2)->text(), QString("image,scale=0.5,layout=RGB"));
        QCOMPARE(w.outputEdit()->text(), QString::fromStdString(dir.path("out/Demo.mlpackage")));
        QVERIFY(!w.document()->isModified());  // defaults are not edits
    }

    void imagePresetEnumeratedShapeUndoAndRedo() {
        test::ScratchDir dir;
        ui::MainWindow w;
        openAndWait(w, demoWithShape(dir));
        ui::InputsPanel* inputs = w.inputsPanel();
        QVERIFY(!w.isWindowModified());

        // Make the input an image and apply the ImageNet preset: scale and bias as the guide computes them.
        inputs->kindBox()->setCurrentIndex(1);
        emit inputs->kindBox()->activated(1);
        QVERIFY(w.document()->settings().inputs[0].image);
        ui::ImagePreprocessingEditor* image = inputs->imageEditor();
        image->applyPreset(image->presetBox()->findText("ImageNet mean/std"));
        const ImageSpec& spec = *w.document()->settings().inputs[0].image;
        QCOMPARE(spec.scale, 1.0 / (0.229 * 255.0));
        QCOMPARE(spec.bias.size(), size_t(3));
        QCOMPARE(spec.bias[0], -0.485 / 0.229);
        QCOMPARE(spec.bias[1], -0.456 / 0.224);
        QCOMPARE(spec.bias[2], -0.406 / 0.225);
        QCOMPARE(image->presetBox()->currentText(), QString("ImageNet mean/std"));
        QVERIFY(w.isWindowModified());
        QVERIFY(w.windowTitle().contains("[*]"));
        // Switching to BGR keeps the preset, with the bias in BGR order.
        image->layoutBox()->setCurrentIndex(image->layoutBox()->findText("BGR"));
        QCOMPARE(w.document()->settings().inputs[0].image->bias[0], -0.406 / 0.225);
        image->applyPreset(image->presetBox()->findText("[-1, 1]"));
        QCOMPARE(w.document()->settings().inputs[0].image->scale, 2.0 / 255.0);
        QCOMPARE(w.document()->settings().inputs[0].image->bias, (std::vector<double>{-1, -1, -1}));

        // Two edits of the scale merge into one undo step.
        QUndoStack* undo = w.document()->undoStack();
        const int before = undo->count();
        image->scaleEdit()->setText("1/255");
        emit image->scaleEdit()->editingFinished();
        image->scaleEdit()->setText("0.5");
        emit image->scaleEdit()->editingFinished();
        QCOMPARE(undo->count(), before + 1);
        QCOMPARE(w.document()->settings().inputs[0].image->scale, 0.5);
        undo->undo();
        QCOMPARE(w.document()->settings().inputs[0].image->scale, 2.0 / 255.0);
        QCOMPARE(image->scaleEdit()->text(), QString::number(2.0 / 255.0, 'g', 10));
        undo->redo();
        QCOMPARE(w.document()->settings().inputs[0].image->scale, 0.5);

        // Enumerated shapes: switch the mode, add a second shape, type it.
        ui::ShapeEditor* shape = inputs->shapeEditor();
        shape->modeBox()->setCurrentIndex(shape->modeBox()->findData(int(ui::ShapeEditor::Mode::Enumerated)));
        QCOMPARE(w.document()->settings().inputs[0].enumeratedShapes, (std::vector<Shape>{{1, 3, 64, 64}}));
        shape->addShapeButton()->click();
        QCOMPARE(shape->enumeratedTable()->rowCount(), 2);
        shape->enumeratedTable()->item(1, 0)->setText("1x3x128x128");
        QCOMPARE(w.document()->settings().inputs[0].enumeratedShapes,
                 (std::vector<Shape>{{1, 3, 64, 64}, {1, 3, 128, 128}}));
        QCOMPARE(w.inputsTable()->item(0, 1)->text(), QString("enum(1x3x64x64,1x3x128x128)"));
        QVERIFY(inputs->flexibleNote()->isVisibleTo(inputs));

        // The package is written with both image sizes enumerated.
        setOutput(w, dir.path("Flex.mlpackage"));
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 60000);
        QCOMPARE(package::readPackage(dir.path("Flex.mlpackage")).description.inputs.at(0).enumeratedShapes,
                 (std::vector<Shape>{{1, 3, 64, 64}, {1, 3, 128, 128}}));

        // Undo back to the fixed shape, then the conversion runs to the end.
        while (!w.document()->settings().inputs[0].enumeratedShapes.empty()) undo->undo();
        QVERIFY(!inputs->flexibleNote()->isVisibleTo(inputs));
        QTRY_VERIFY(w.convertButton()->isEnabled());
        w.convertButton()->click();  // the output setting was undone too: the default, beside the model
        QTRY_VERIFY2_WITH_TIMEOUT(panel(w).startsWith("Wrote") && panel(w).contains("demo_cnn.mlpackage"), qPrintable(panel(w)),
                                  60000);
        QVERIFY(package::readPackage(dir.path("demo_cnn.mlpackage")).description.inputs.at(0).enumeratedShapes.empty());
        undo->redo();
        QVERIFY(!w.document()->settings().inputs[0].enumeratedShapes.empty());
    }

    void savesAndReopensTheProject() {
        test::ScratchDir dir;
        const std::string project = dir.path("demo.cmsproj");
        ConversionSettings saved;
        {
            ui::MainWindow w;
            openAndWait(w, demoWithShape(dir));
            w.inputsTable()->item(0, 1)->setText("1x3x(32..128=64)x(32..128=64)");
            w.inputsTable()->item(0, 2)->setText("image,scale=1/255");
            w.quantizationPanel()->compressAs({"stem.0.weight"}, CompressionMethod::Palettize);
            QVERIFY(w.isWindowModified());
            QVERIFY(w.saveProject(QString::fromStdString(project)));
            QVERIFY(!w.isWindowModified());
            QVERIFY(w.windowTitle().startsWith("demo.cmsproj"));
            saved = w.document()->settings();
            // Paths in the file are relative to it.
            std::ifstream in(project);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            QVERIFY2(text.find("\"model\": \"demo_cnn.pt\"") != std::string::npos, text.c_str());
        }
        ui::MainWindow w;
        w.openPath(QString::fromStdString(project));
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);
        QVERIFY(w.document()->settings() == saved);
        QVERIFY(!w.document()->isModified());
        QCOMPARE(w.inputsTable()->item(0, 1)->text(), QString("1x3x(32..128=64)x(32..128=64)"));
        QCOMPARE(w.document()->filePath(), QString::fromStdString(project));
        QTRY_COMPARE(w.quantizationPanel()->table()->rowCount(), 1);
        QVERIFY(w.recentFiles()->list(ui::RecentFiles::Kind::Project).contains(QString::fromStdString(project)));

        // A broken project file is named in the panel; the open project stays.
        std::ofstream(dir.path("broken.cmsproj")) << R"({"inputs": [{"name": "image", "shape": [1, {"lower": 9, "upper": 3}]}]})";
        w.openPath(QString::fromStdString(dir.path("broken.cmsproj")));
        QVERIFY2(panel(w).contains("broken.cmsproj") && panel(w).contains("below the lower bound"), qPrintable(panel(w)));
        QVERIFY(w.document()->settings() == saved);
    }

    void loadsAYamlConfigIntoTheQuantizationTable() {
        test::ScratchDir dir;
        ui::MainWindow w;
        openAndWait(w, demoWithShape(dir));
        ui::QuantizationPanel* q = w.quantizationPanel();
        const SizeEstimate plain = q->estimate();
        QVERIFY(plain.weightCount > 5);
        QCOMPARE(plain.estimatedBytes, plain.uncompressedBytes);

        std::ofstream(dir.path("config.yaml")) << "config_type: OpLinearQuantizerConfig\n"
                                                  "global_config:\n  dtype: int8\n  weight_threshold: 512\n"
                                                  "op_type_configs:\n  linear: null\n"
                                                  "op_name_configs:\n  block2.conv2:\n"
                                                  "    config_type: OpPalettizerConfig\n    mode: kmeans\n    nbits: 2\n";
        q->loadYaml(QString::fromStdString(dir.path("config.yaml")));
        QTRY_COMPARE(q->table()->rowCount(), 3);
        QCOMPARE(q->table()->item(0, ui::QuantizationPanel::ScopeColumn)->text(), QString("Global"));
        QCOMPARE(q->table()->item(2, ui::QuantizationPanel::NameColumn)->text(), QString("block2.conv2"));
        auto* bits = qobject_cast<QComboBox*>(q->table()->cellWidget(2, ui::QuantizationPanel::BitsColumn));
        QVERIFY(bits);
        QCOMPARE(bits->currentText(), QString("2"));
        // The estimate is worked out from the demo's own weights: int8 and 2-bit tables shrink them.
        const SizeEstimate e = q->estimate();
        QVERIFY2(e.estimatedBytes < plain.uncompressedBytes * 6 / 10, qPrintable(q->estimateLabel()->text()));
        QVERIFY(e.compressedCount > 0 && e.compressedCount < e.weightCount);
        QVERIFY(q->estimateLabel()->text().contains("smaller"));
        // The 2-bit row counts: without it the estimate is larger.
        CompressionConfig withoutRow = w.document()->settings().compression;
        withoutRow.opNames.clear();
        QVERIFY(estimateCompressedSize(collectWeights(*w.graphView()->model()->graph()),
                                       withoutRow, Precision::Float16).estimatedBytes > e.estimatedBytes);
        // Editing a row changes the estimate live: 4-bit instead of 8-bit for the global row.
        auto* globalBits = qobject_cast<QComboBox*>(q->table()->cellWidget(0, ui::QuantizationPanel::BitsColumn));
        globalBits->setCurrentIndex(globalBits->findText("int4"));
        emit globalBits->activated(globalBits->currentIndex());
        QCOMPARE(w.document()->settings().compression.global->bits, 4);
        QTRY_VERIFY(q->estimate().estimatedBytes < e.estimatedBytes);

        // Saved back as YAML, it reads the same.
        q->saveYaml(QString::fromStdString(dir.path("again.yaml")));
        QVERIFY(loadCompressionYaml(dir.path("again.yaml")) == w.document()->settings().compression);

        // iOS15 cannot run compressed weights: Convert names the entry and the target it needs.
        setOutput(w, dir.path("Q.mlpackage"));
        QVERIFY(w.convertButton()->isEnabled());
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.convertButton()->isEnabled(), 30000);
        QVERIFY2(panel(w).contains("global_config") && panel(w).contains("iOS1"), qPrintable(panel(w)));
        QVERIFY(!fs::exists(dir.path("Q.mlpackage")));
        // With iOS18 (4-bit needs it) the conversion runs and writes the compressed package.
        QComboBox* target = w.conversionPanel()->targetBox();
        target->setCurrentIndex(target->findText("iOS18"));
        emit target->activated(target->currentIndex());
        QCOMPARE(w.document()->settings().target, mil::Target::iOS18);
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(fs::exists(dir.path("Q.mlpackage/Manifest.json")), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.convertButton()->isEnabled(), 30000);

        // A broken YAML file: file, line and key.
        std::ofstream(dir.path("bad.yaml")) << "config_type: OpPalettizerConfig\nglobal_config:\n  nbits: 5\n";
        try {
            q->loadYaml(QString::fromStdString(dir.path("bad.yaml")));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("bad.yaml: line 3: global_config.nbits"), e.what());
        }
    }

    void compressAsFromTheGraphSelection() {
        test::ScratchDir dir;
        ui::MainWindow w;
        openAndWait(w, demoWithShape(dir));
        QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() != nullptr, 30000);
        const graphview::GraphViewModel& m = *w.graphView()->model();
        int selected = 0;
        for (const graphview::DisplayNode& n : m.nodes()) {
            if (!n.source || (n.source->prov.modulePath != "stem.0" && n.source->prov.modulePath != "block2.conv2")) continue;
            QGraphicsItem* item = w.graphView()->scene()->itemForNode(n.id);
            QVERIFY(item);
            item->setSelected(true);
            ++selected;
        }
        QCOMPARE(selected, 2);
        const QStringList ops = w.selectedWeightOps();
        QCOMPARE(ops.size(), 2);
        QVERIFY2(ops.contains("stem.0"), qPrintable(ops.join(", ")));  // ops are named by module path
        w.quantizationPanel()->compressAs(ops, CompressionMethod::LinearQuantize);
        for (const QString& name : ops)
            QVERIFY(w.document()->settings().compression.opNames.count(name.toStdString()));
        // The rows reach exactly those ops' weights above the 2048-element threshold in the estimate.
        size_t expected = 0;
        for (const ModelWeight& weight : collectWeights(*w.graphView()->model()->graph()))
            expected += ops.contains(QString::fromStdString(weight.modulePath)) && weight.tensor.numel() > 2048;
        QVERIFY(expected > 0);
        QTRY_COMPARE(w.quantizationPanel()->estimate().compressedCount, expected);
        QTRY_COMPARE(w.quantizationPanel()->table()->rowCount(), 2);
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->settings().compression.empty());
    }

    void openRecentAndThePackageSummary() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.recentFiles()->clear();
        const std::string model = demoWithShape(dir);
        openAndWait(w, model);
        setOutput(w, dir.path("Demo.mlpackage"));
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 60000);

        // Open Recent lists the model; choosing it opens it again.
        QMenu* recent = w.openRecentMenu();
        QAction* entry = nullptr;
        for (QAction* a : recent->actions())
            if (a->text() == QString::fromStdString(model)) entry = a;
        QVERIFY(entry);
        w.document()->reset(w.document()->settings());  // nothing unsaved: no prompt
        w.resultPanel()->clear();
        entry->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);

        // The start page lists it too.
        bool onStartPage = false;
        for (int i = 0; i < w.startPage()->recentModels()->count(); ++i)
            onStartPage |= w.startPage()->recentModels()->item(i)->data(Qt::UserRole).toString() == QString::fromStdString(model);
        QVERIFY(onStartPage);

        // Dropping the package shows its summary.
        drop(&w, QString::fromStdString(dir.path("Demo.mlpackage")));
        QTRY_COMPARE_WITH_TIMEOUT(w.pages()->currentIndex(), 2, 30000);
        const QString summary = w.packageSummary()->text();
        QVERIFY2(summary.contains("Inputs:\n  image: fp32 1x3x64x64"), qPrintable(summary));
        QVERIFY(summary.contains("× conv"));
        QVERIFY(w.packageGraphView()->programModel() != nullptr);  // the package's program, drawn
        QVERIFY(w.recentFiles()->list(ui::RecentFiles::Kind::Model).contains(QString::fromStdString(dir.path("Demo.mlpackage"))));

        // A folder that is no package: named in the panel.
        fs::create_directories(dir.path("Empty.mlpackage"));
        w.openPath(QString::fromStdString(dir.path("Empty.mlpackage")));
        QTRY_COMPARE_WITH_TIMEOUT(w.pages()->currentIndex(), 1, 30000);
        QVERIFY2(panel(w).startsWith("package error") && panel(w).contains("Empty.mlpackage"), qPrintable(panel(w)));

        // Clear empties the menu.
        QAction* clear = recent->actions().last();
        QCOMPARE(clear->text(), QString("Clear Recent Files"));
        clear->trigger();
        QVERIFY(w.recentFiles()->list(ui::RecentFiles::Kind::Model).isEmpty());
        QCOMPARE(recent->actions().size(), 2);  // the separator and the disabled Clear
    }

private:
    test::ScratchDir settingsDir_;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
