#include "review_controller.h"

#include <QComboBox>
#include <algorithm>
#include <QFileDialog>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include "checklist_panel.h"
#include "export/report_sections.h"
#include "export/swift_snippet_view.h"
#include "graph/graph_canvas.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "main_window.h"
#include "reports/report_run.h"
#include "reports/reports_controller.h"
#include "settings/conversion_panel.h"
#include "settings/inputs_panel.h"
#include "settings/quantization_panel.h"
#include "unsupported_review_panel.h"
#include "workspace/project_document.h"

namespace cms::ui {

ReviewController::ReviewController(MainWindow* window)
    : QObject(window), window_(window), review_(new UnsupportedReviewPanel), checklist_(new ChecklistPanel),
      swift_(new SwiftSnippetView) {
    QTabWidget* tabs = window->settingsTabs();
    tabs->addTab(review_, tr("Unsupported Ops"));
    tabs->addTab(checklist_, tr("Checklist"));
    tabs->addTab(swift_, tr("Swift"));

    // Before Help, which the window adds last.
    auto* menu = new QMenu(tr("Re&view"), window);
    const QList<QAction*> menus = window->menuBar()->actions();
    window->menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), menu);
    menu->addAction(tr("&Unsupported Ops"), this, [this] { showTab(review_); });
    menu->addAction(tr("Production &Checklist"), this, [this] { showTab(checklist_); });
    menu->addAction(tr("&Swift Code"), this, [this] { showTab(swift_); });
    menu->addSeparator();
    menu->addAction(tr("Export Report as &HTML…"), this, [this] { chooseExportPath(QStringLiteral(".html")); });
    menu->addAction(tr("Export Report as &PDF…"), this, [this] { chooseExportPath(QStringLiteral(".pdf")); });

    ConversionRunner* runner = window->runner();
    connect(runner, &ConversionRunner::modelOpened, this, [this](const ModelInfo& info) {
        if (info.path != modelPath_) {
            swift_->clear();
            review_->clear();
        }
        modelPath_ = info.path;
        checklist_->setModel(info.path, info.warnings);
        checklist_->setSettings(window_->document()->settings());
    });
    const auto fullImport = [this](const ModelInfo& info) {
        if (info.path == modelPath_) checklist_->setModel(info.path, info.warnings);
    };
    connect(runner, &ConversionRunner::programReady, this, fullImport);
    connect(window->shapeRunner(), &ConversionRunner::programReady, this, fullImport);
    connect(window->document(), &ProjectDocument::changed, this,
            [this] { checklist_->setSettings(window_->document()->settings()); });
    connect(runner, &ConversionRunner::converted, this, [this](const ConversionReport& report) {
        ConversionSettings settings = window_->document()->settings();
        settings.modelPath = modelPath_.toStdString();
        checklist_->setConversion(report, settings);
        review_->clear();  // converted: nothing is unsupported any more
    });
    connect(runner, &ConversionRunner::failed, this, [this](const QString& message, bool cancelled) {
        if (cancelled || modelPath_.isEmpty() || !message.startsWith(QStringLiteral("unsupported:"))) return;
        ConversionSettings settings = window_->document()->settings();
        settings.modelPath = modelPath_.toStdString();
        review_->survey(settings);
    });
    connect(review_, &UnsupportedReviewPanel::reportReady, this, [this](int ops) {
        if (ops > 0) showTab(review_);
    });
    connect(review_, &UnsupportedReviewPanel::occurrenceActivated, this, &ReviewController::selectInGraph);
    connect(review_, &UnsupportedReviewPanel::retryRequested, this, &ReviewController::retry);
    connect(checklist_, &ChecklistPanel::fixRequested, this,
            [this](analysis::FixPlace place, const QString& field) { fix(int(place), field); });
    // The report views: their tables and charts go into the export, and their accuracy check (run after
    // each conversion) into the checklist.
    if (ReportsController* reports = window->reports()) {
        setSectionProvider([reports] { return reportSections(reports->views()); });
        connect(reports, &ReportsController::runFinished, this, [this](std::shared_ptr<const ReportRun> run) {
            const ConversionReport* converted = checklist_->data().conversion;
            if (run && run->accuracy && converted && run->conversion.packagePath == converted->packagePath)
                checklist_->setAccuracy(*run->accuracy);
        });
    }
    // The Swift code follows the package the checklist read.
    connect(checklist_, &ChecklistPanel::evaluated, this, [this] {
        const analysis::ChecklistData& d = checklist_->data();
        if (d.package && d.conversion)
            swift_->showPackage(QString::fromStdString(d.conversion->packagePath), d.package->description,
                                d.settings.computeUnits);
    });
}

void ReviewController::showTab(QWidget* page) {
    QTabWidget* tabs = window_->settingsTabs();
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->widget(i) == page || tabs->widget(i)->isAncestorOf(page)) {
            tabs->setCurrentIndex(i);
            return;
        }
}

bool ReviewController::selectInGraph(const QString& op, const QString& modulePath, int line) {
    GraphView* view = window_->graphView();
    const graphview::GraphViewModel* model = view->model();
    if (!model) return false;
    const std::string kind = op.toStdString(), path = modulePath.toStdString();
    for (const graphview::DisplayNode& node : model->nodes()) {
        if (!node.source || node.source->kind != kind || node.source->prov.modulePath != path) continue;
        if (line > 0 && node.source->prov.line != line) continue;
        view->scene()->selectNode(node.id);
        if (QGraphicsItem* item = view->scene()->itemForNode(node.id)) view->canvas()->centerOn(item);
        return true;
    }
    return false;
}

void ReviewController::fix(int placeValue, const QString& field) {
    const auto place = analysis::FixPlace(placeValue);
    switch (place) {
        case analysis::FixPlace::Inputs: {
            showTab(window_->inputsPanel());
            QTableWidget* table = window_->inputsTable();
            for (int r = 0; r < table->rowCount(); ++r)
                if (table->item(r, 0) && table->item(r, 0)->text() == field) {
                    table->setCurrentCell(r, 2);  // the Options column: image, scale, bias
                    table->setFocus();
                }
            return;
        }
        case analysis::FixPlace::Conversion: {
            ConversionPanel* panel = window_->conversionPanel();
            showTab(panel);
            if (field == QLatin1String("precision")) panel->precisionBox()->setFocus();
            else if (field == QLatin1String("target")) panel->targetBox()->setFocus();
            else if (field == QLatin1String("fp32Ops")) panel->fp32OpsEdit()->setFocus();
            else panel->computeUnitsBox()->setFocus();
            return;
        }
        case analysis::FixPlace::Quantization:
            showTab(window_->quantizationPanel());
            return;
        case analysis::FixPlace::Accuracy:
            return;  // the checklist runs the check itself
        case analysis::FixPlace::ModelExport:
            for (const analysis::ChecklistItem& it : checklist_->items())
                if (it.fix == analysis::FixPlace::ModelExport && it.status != analysis::CheckStatus::Pass)
                    QMessageBox::information(window_, tr("Fix in the Model's Export"),
                                             tr("This is fixed where the model is exported, not in the studio: %1.")
                                                 .arg(QString::fromStdString(it.fixHint)));
            return;
    }
}

void ReviewController::retry(const QString& compositePath) {
    ConversionSettings settings = window_->document()->settings();
    const std::string path = compositePath.toStdString();
    if (std::find(settings.composites.begin(), settings.composites.end(), path) == settings.composites.end()) {
        settings.composites.push_back(path);
        window_->document()->edit(settings, tr("Use composites %1").arg(QFileInfo(compositePath).fileName()),
                                  QStringLiteral("composites"));
    }
    window_->convertButton()->click();
}

ReportContent ReviewController::reportContent() const {
    const analysis::ChecklistData& d = checklist_->data();
    ReportContent c;
    c.modelPath = modelPath_;
    c.settings = d.settings;
    if (d.conversion) c.conversion = *d.conversion;
    if (d.accuracy) c.accuracy = *d.accuracy;
    c.checklist = checklist_->items();
    if (!review_->report().empty()) c.unsupported = review_->report();
    if (sections_) c.sections = sections_();
    c.swiftSnippet = swift_->snippet();
    return c;
}

bool ReviewController::exportReport(const QString& path) {
    const ReportDocument doc(reportContent());
    QString error;
    const bool pdf = path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive);
    const bool ok = pdf ? doc.writePdf(path, &error) : doc.writeHtml(path, &error);
    window_->resultPanel()->setPlainText(ok ? tr("Exported the report to %1").arg(path) : error);
    return ok;
}

void ReviewController::chooseExportPath(const QString& suffix) {
    const QFileInfo model(modelPath_);
    const QString suggestion = model.dir().filePath(model.completeBaseName() + QStringLiteral("-report") + suffix);
    const QString filter = suffix == QLatin1String(".pdf") ? tr("PDF (*.pdf)") : tr("HTML (*.html)");
    QString path = QFileDialog::getSaveFileName(window_, tr("Export Report"), suggestion, filter);
    if (path.isEmpty()) return;
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
    exportReport(path);
}

}  // namespace cms::ui
