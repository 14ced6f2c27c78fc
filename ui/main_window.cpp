#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include "common/error.h"
#include "graph/graph_canvas.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "results/conversion_progress.h"
#include "results/results_panel.h"
#include "review/review_controller.h"
#include "graphview/graph_view_model.h"
#include "package/package.h"
#include "reports/reports_controller.h"
#include "settings/compressed_size.h"
#include "settings/conversion_panel.h"
#include "settings/inputs_panel.h"
#include "settings/states_editor.h"
#include "settings/quantization_panel.h"
#include "workspace/autosave.h"
#include "workspace/package_summary.h"
#include "workspace/project_document.h"
#include "workspace/recent_files.h"
#include "workspace/start_page.h"
#include "labels/user_labels.h"
#include "preferences/preferences_dialog.h"
#include "style/palette_colors.h"
#include "style/studio_icons.h"

namespace cms::ui {

namespace {

const Stage kStages[] = {Stage::Import, Stage::Lower, Stage::Passes, Stage::Compress, Stage::Write, Stage::Verify};
enum Page { StartPageIndex, WorkspacePageIndex, PackagePageIndex };

QString humanBytes(uint64_t bytes) { return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat); }

// A settings file next to the model (demo_cnn.pt -> demo_cnn.settings.json) supplies defaults.
QString sidecarSettingsPath(const QString& modelPath) {
    const QFileInfo fi(modelPath);
    return fi.dir().filePath(fi.completeBaseName() + ".settings.json");
}

bool isPackagePath(const QString& path) { return path.endsWith(QStringLiteral(".mlpackage"), Qt::CaseInsensitive) ||
                                                 path.endsWith(QStringLiteral(".mlpackage/"), Qt::CaseInsensitive); }

bool isProjectPath(const QString& path) {
    return path.endsWith(QLatin1String(ProjectDocument::kExtension), Qt::CaseInsensitive) ||
           path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(new ProjectDocument(this)), recent_(new RecentFiles(this)),
      runner_(new ConversionRunner(this)), shapeRunner_(new ConversionRunner(this)),
      shapeTimer_(new QTimer(this)) {
    setAcceptDrops(true);
    pages_ = new QStackedWidget;
    startPage_ = new StartPage(recent_, bundledDemoModelPath());
    pages_->addWidget(startPage_);
    pages_->addWidget(buildWorkspace());
    auto* packagePage = new QSplitter(Qt::Horizontal);
    packageGraph_ = new GraphView;
    packageSummary_ = new PackageSummary;
    packagePage->addWidget(packageGraph_);
    packagePage->addWidget(packageSummary_);
    packagePage->setSizes({860, 500});
    pages_->addWidget(packagePage);
    setCentralWidget(pages_);
    buildMenus();
    reports_ = new ReportsController(results_, graphView_, document_, runner_, convertButton_, this);
    connect(reports_, &ReportsController::analysisFailed, this, [this](const QString& m) { showMessage(m, true); });
    resize(1360, 840);

    connect(startPage_, &StartPage::openRequested, this, &MainWindow::openPath);
    connect(startPage_, &StartPage::browseRequested, this, &MainWindow::chooseFile);
    connect(recent_, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
    connect(document_, &ProjectDocument::changed, this, &MainWindow::onDocumentChanged);
    connect(document_, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(document_, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(runner_, &ConversionRunner::modelOpened, this, &MainWindow::onModelOpened);
    connect(runner_, &ConversionRunner::programReady, this, &MainWindow::onProgramReady);
    connect(runner_, &ConversionRunner::progress, this, &MainWindow::onProgress);
    connect(runner_, &ConversionRunner::converted, this, &MainWindow::onConverted);
    connect(runner_, &ConversionRunner::failed, this, &MainWindow::onFailed);
    connect(runner_, &ConversionRunner::busyChanged, this, &MainWindow::onBusyChanged);
    connect(runner_, &ConversionRunner::packageOpened, this, [this](const PackageInfo& info) {
        packageSummary_->showPackage(info.path, *info.contents);
        packageGraph_->showProgramOnly(info.program, info.note);
        pages_->setCurrentIndex(PackagePageIndex);
        setWindowTitle(tr("%1 — Core ML Conversion Studio").arg(QFileInfo(info.path).fileName()));
        recent_->add(RecentFiles::Kind::Model, info.path);
        showMessage(tr("Opened package %1.").arg(info.path), false);
    });
    shapeTimer_->setSingleShot(true);
    shapeTimer_->setInterval(500);
    connect(shapeTimer_, &QTimer::timeout, this, &MainWindow::refreshShapes);
    // The refresh's own import has no shapes yet; its lowered copy replaces the graph shown.
    connect(shapeRunner_, &ConversionRunner::programReady, this, &MainWindow::onProgramReady);
    connect(inputsPanel_, &InputsPanel::invalid, this, [this](const QString& m) { showMessage(m, true); });
    connect(quantizationPanel_, &QuantizationPanel::invalid, this, [this](const QString& m) { showMessage(m, true); });
    review_ = new ReviewController(this);  // after the window's own handlers: it reads what they set
    onBusyChanged(false);
    rebuildRecentMenu();
    updateTitle();
}

MainWindow::~MainWindow() {
    runner_->stopAndWait();
    shapeRunner_->stopAndWait();
}

QTableWidget* MainWindow::inputsTable() const { return inputsPanel_->inputsTable(); }

QLineEdit* MainWindow::outputEdit() const { return conversionPanel_->outputEdit(); }

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    open->setIcon(studioIcon(QStringLiteral("document-open"), QStringLiteral("open")));
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open &Demo Model"), this, [this] { openPath(bundledDemoModelPath()); })
        ->setIcon(studioIcon(QString(), QStringLiteral("demo")));
    file->addSeparator();
    QAction* save = file->addAction(tr("&Save Project"), this, [this] {
        if (document_->filePath().isEmpty()) saveProjectAs();
        else saveProject(document_->filePath());
    });
    save->setShortcut(QKeySequence::Save);
    save->setIcon(studioIcon(QStringLiteral("document-save"), QStringLiteral("save")));
    QAction* saveAs = file->addAction(tr("Save Project &As…"), this, &MainWindow::saveProjectAs);
    saveAs->setShortcut(QKeySequence::SaveAs);
    saveAs->setIcon(studioIcon(QStringLiteral("document-save-as"), QStringLiteral("save-as")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setIcon(studioIcon(QStringLiteral("application-exit"), QStringLiteral("quit")));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(studioIcon(QStringLiteral("edit-undo"), QStringLiteral("undo")));
    QAction* redo = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setIcon(studioIcon(QStringLiteral("edit-redo"), QStringLiteral("redo")));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    addPreferencesAction(edit, recent_, this);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(studioIcon(QStringLiteral("help-about"), QStringLiteral("about")), tr("&About"), this, [this] {
        QMessageBox::about(this, tr("About Core ML Conversion Studio"),
                           tr("Core ML Conversion Studio %1\nConverts TorchScript models to Core ML packages.")
                               .arg(QString::fromStdString(converterVersion())));
    });
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList models = recent_->list(RecentFiles::Kind::Model);
    const QStringList projects = recent_->list(RecentFiles::Kind::Project);
    for (const QString& path : models) recentMenu_->addAction(path, this, [this, path] { openPath(path); });
    if (!models.isEmpty() && !projects.isEmpty()) recentMenu_->addSeparator();
    for (const QString& path : projects) recentMenu_->addAction(path, this, [this, path] { openPath(path); });
    recentMenu_->addSeparator();
    QAction* clear = recentMenu_->addAction(tr("Clear Recent Files"), recent_, &RecentFiles::clear);
    clear->setEnabled(!models.isEmpty() || !projects.isEmpty());
}

QWidget* MainWindow::buildWorkspace() {
    auto* splitter = new QSplitter(Qt::Horizontal);
    graphView_ = new GraphView;
    graphView_->canvas()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(graphView_->canvas(), &QWidget::customContextMenuRequested, this, &MainWindow::showGraphContextMenu);
    splitter->addWidget(graphView_);
    splitter->addWidget(buildSettingsSide());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({860, 500});
    return splitter;
}

QWidget* MainWindow::buildSettingsSide() {
    auto* side = new QSplitter(Qt::Vertical);
    auto* top = new QWidget;
    auto* layout = new QVBoxLayout(top);
    layout->setContentsMargins(0, 0, 0, 0);
    modelLabel_ = new QLabel(tr("No model open. Use File › Open or drop a TorchScript file here."));
    modelLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    modelLabel_->setWordWrap(true);
    layout->addWidget(modelLabel_);

    tabs_ = new QTabWidget;
    inputsPanel_ = new InputsPanel(document_);
    conversionPanel_ = new ConversionPanel(document_);
    quantizationPanel_ = new QuantizationPanel(document_);
    const auto scrolled = [](QWidget* w) {
        auto* scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setWidget(w);
        return scroll;
    };
    tabs_->addTab(scrolled(inputsPanel_), tr("Inputs"));
    tabs_->addTab(scrolled(conversionPanel_), tr("Conversion"));
    tabs_->addTab(quantizationPanel_, tr("Quantization"));
    layout->addWidget(tabs_, 1);

    auto* buttons = new QHBoxLayout;
    convertButton_ = new QPushButton(studioIcon(QString(), QStringLiteral("convert")), tr("Convert"));
    convertButton_->setDefault(true);
    convertButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    convertButton_->setToolTip(tr("Convert the model with these settings (%1)")
                                   .arg(convertButton_->shortcut().toString(QKeySequence::NativeText)));
    cancelButton_ = new QPushButton(studioIcon(QStringLiteral("process-stop"), QStringLiteral("cancel")), tr("Cancel"));
    cancelButton_->setShortcut(QKeySequence(Qt::Key_Escape));  // only while a job runs (the button is disabled otherwise)
    cancelButton_->setToolTip(tr("Stop the conversion; nothing is written (Esc)"));
    connect(convertButton_, &QPushButton::clicked, this, &MainWindow::startConversion);
    connect(cancelButton_, &QPushButton::clicked, runner_, &ConversionRunner::cancel);
    buttons->addStretch();
    buttons->addWidget(convertButton_);
    buttons->addWidget(cancelButton_);
    layout->addLayout(buttons);
    side->addWidget(top);

    auto* bottom = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto* stagesBox = new QGroupBox(tr("Progress"));
    progress_ = new ConversionProgress;
    (new QVBoxLayout(stagesBox))->addWidget(progress_);
    progress_->cancelButton()->hide();  // the Cancel beside Convert stops the job
    bottomLayout->addWidget(stagesBox);
    results_ = new ResultsPanel;
    tabs_->addTab(results_, tr("Results"));
    connect(results_, &ResultsPanel::showProgramRequested, this, [this] { graphView_->setProgramVisible(true); });
    result_ = new QPlainTextEdit;
    result_->setReadOnly(true);
    result_->setPlaceholderText(tr("Results and errors appear here."));
    bottomLayout->addWidget(result_, 1);
    side->addWidget(bottom);
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 1);
    return side;
}

void MainWindow::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Model, Package or Project"), QFileInfo(modelPath_).path(),
        tr("Models and projects (*.pt *.pth *.ts *.ptl *.torchscript *.h5 *.keras *.cmsproj *.json);;TorchScript (*.pt *.pth "
           "*.ts *.ptl *.torchscript);;Keras (*.h5 *.keras);;Projects (*.cmsproj *.json);;Core ML package manifest "
           "(Manifest.json);;All files (*)"));
    if (path.isEmpty()) return;
    // A package is a folder; its Manifest.json stands for it in a file dialog.
    if (QFileInfo(path).fileName() == QStringLiteral("Manifest.json") && isPackagePath(QFileInfo(path).path()))
        openPackage(QFileInfo(path).path());
    else
        openPath(path);
}

void MainWindow::openPath(const QString& rawPath) {
    const QString path = QDir::cleanPath(rawPath);
    if (isPackagePath(path) || (QFileInfo(path).isDir() && QFileInfo::exists(QDir(path).filePath("Manifest.json"))))
        openPackage(path);
    else if (isProjectPath(path))
        openProject(path);
    else
        openModel(path);
}

void MainWindow::openModel(const QString& path) {
    runner_->dropAnnotation();  // the last model's shapes are not needed any more
    if (runner_->busy()) {
        showMessage(tr("A job is running; cancel it or wait before opening another model."), true);
        return;
    }
    if (!keepDocumentOnOpen_ && !maybeSave()) return;
    pages_->setCurrentIndex(WorkspacePageIndex);
    resetStages();
    showMessage(tr("Opening %1 …").arg(path), false);
    // Known input shapes let the worker lower the graph, so edges show shapes.
    ConversionSettings shapeSettings;
    if (keepDocumentOnOpen_) {
        shapeSettings = document_->settings();
    } else if (const QString sidecar = sidecarSettingsPath(path); QFileInfo::exists(sidecar)) {
        try {
            shapeSettings = loadSettings(sidecar.toStdString());
        } catch (const Error&) {
            // onModelOpened reports the broken file.
        }
    }
    shapeSettings.compression = {};  // lowering for shapes needs none of it
    runner_->openModel(path, shapeSettings);
}

void MainWindow::openPackage(const QString& path) {
    runner_->dropAnnotation();
    if (runner_->busy()) {
        showMessage(tr("A job is running; cancel it or wait before opening a package."), true);
        return;
    }
    if (!maybeSave()) return;
    showMessage(tr("Reading %1 …").arg(path), false);
    runner_->openPackage(path);
}

void MainWindow::openProject(const QString& path) {
    runner_->dropAnnotation();
    if (runner_->busy()) {
        showMessage(tr("A job is running; cancel it or wait before opening a project."), true);
        return;
    }
    if (!maybeSave()) return;
    try {
        document_->load(path);
    } catch (const Error& e) {
        pages_->setCurrentIndex(WorkspacePageIndex);
        showMessage(QString::fromStdString(e.what()), true);
        return;
    }
    recent_->add(RecentFiles::Kind::Project, path);
    const QString model = QString::fromStdString(document_->settings().modelPath);
    if (model.isEmpty()) {
        pages_->setCurrentIndex(WorkspacePageIndex);
        showMessage(tr("Opened project %1. It names no model: open one to convert.").arg(path), false);
        return;
    }
    keepDocumentOnOpen_ = true;
    openModel(model);
}

bool MainWindow::restoreSettings(const ConversionSettings& settings, const QString& projectPath) {
    runner_->dropAnnotation();
    if (runner_->busy()) {
        showMessage(tr("A job is running; cancel it or wait before restoring settings."), true);
        return false;
    }
    bool fromProject = false;
    if (!projectPath.isEmpty() && QFileInfo::exists(projectPath)) {
        try {
            document_->load(projectPath);
            fromProject = true;
        } catch (const Error&) {
        }
    }
    if (!fromProject) document_->reset(ConversionSettings{});
    document_->edit(settings, tr("Restore autosaved settings"));
    showMessage(tr("Restored the autosaved settings."), false);
    const QString model = QString::fromStdString(document_->settings().modelPath);
    if (model.isEmpty()) {
        pages_->setCurrentIndex(WorkspacePageIndex);
        return true;
    }
    keepDocumentOnOpen_ = true;
    openModel(model);
    return true;
}

void MainWindow::enableAutosave(const QString& directory, int intervalMs) {
    delete autosave_;
    autosave_ = new Autosave(document_, directory, intervalMs, this);
}

bool MainWindow::saveProject(const QString& path) {
    try {
        document_->save(path);
    } catch (const Error& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
    recent_->add(RecentFiles::Kind::Project, path);
    showMessage(tr("Saved project %1").arg(path), false);
    return true;
}

bool MainWindow::saveProjectAs() {
    const QFileInfo model(modelPath_);
    const QString suggestion = document_->filePath().isEmpty()
                                   ? model.dir().filePath(model.completeBaseName() + ProjectDocument::kExtension)
                                   : document_->filePath();
    QString path = QFileDialog::getSaveFileName(this, tr("Save Project"), suggestion,
                                                tr("Conversion project (*.cmsproj);;Settings JSON (*.json)"));
    if (path.isEmpty()) return false;
    if (!isProjectPath(path)) path += ProjectDocument::kExtension;
    return saveProject(path);
}

bool MainWindow::maybeSave() {
    if (!document_->isModified()) return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved Changes"),
                                             tr("The conversion settings have unsaved changes. Save them first?"),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Save)
        return document_->filePath().isEmpty() ? saveProjectAs() : saveProject(document_->filePath());
    return true;
}

void MainWindow::updateTitle() {
    QString name = !document_->filePath().isEmpty() ? QFileInfo(document_->filePath()).fileName()
                   : !modelPath_.isEmpty()          ? QFileInfo(modelPath_).fileName()
                                                    : QString();
    setWindowTitle(name.isEmpty() ? tr("Core ML Conversion Studio")
                                  : tr("%1[*] — Core ML Conversion Studio").arg(name));
    setWindowModified(document_->isModified());
}

void MainWindow::onModelOpened(const ModelInfo& info) {
    model_ = info;
    modelPath_ = info.path;
    if (info.moduleOutline) graphView_->setModuleOutline(info.graph, info.graphNote);
    else graphView_->setGraph(info.graph, info.graphNote, info.program);
    QStringList notes;
    if (keepDocumentOnOpen_) {
        keepDocumentOnOpen_ = false;
        notes << tr("Settings from project %1").arg(document_->filePath());
    } else {
        ConversionSettings defaults;
        const QString sidecar = sidecarSettingsPath(info.path);
        if (QFileInfo::exists(sidecar)) {
            try {
                defaults = loadSettings(sidecar.toStdString());
                notes << tr("Defaults read from %1").arg(sidecar);
            } catch (const Error& e) {
                notes << tr("Ignored %1: %2").arg(sidecar, QString::fromStdString(e.what()));
            }
        }
        QString output;
        if (!defaults.outputPath.empty()) {
            const QString p = QString::fromStdString(defaults.outputPath);
            output = QFileInfo(p).isAbsolute() ? p : QFileInfo(sidecar).dir().filePath(p);
        } else {
            const QFileInfo fi(info.path);
            output = fi.dir().filePath(fi.completeBaseName() + ".mlpackage");
        }
        defaults.outputPath = output.toStdString();
        defaults.modelPath = info.path.toStdString();
        // Before the reset: its change signal must not schedule a shape refresh for the inputs the
        // runner is lowering with right now (a second import, racing the next job).
        shapedInputs_ = defaults.inputs;
        document_->reset(defaults);
    }
    shapedInputs_ = document_->settings().inputs;
    shapeTimer_->stop();  // a project's settings, loaded before its model opened, are what the runner used
    recent_->add(RecentFiles::Kind::Model, info.path);
    showModelSummary(info);
    inputsPanel_->setModelInterface(info.inputNames, info.outputNames);
    updateTitle();

    for (const QString& w : info.warnings) notes << tr("warning: %1").arg(w);
    bool shapesMissing = false;
    for (const QString& name : info.inputNames) {
        bool has = false;
        for (const InputSpec& in : document_->settings().inputs) has |= QString::fromStdString(in.name) == name;
        shapesMissing |= !has;
    }
    if (shapesMissing) notes << tr("Enter a shape for each input (TorchScript files do not record them), e.g. 1x3x224x224.");
    showMessage(tr("Opened %1.\n").arg(info.path) + notes.join('\n'), false);
}

ConversionSettings MainWindow::settingsForConversion() const {
    ConversionSettings s = document_->settings();
    s.modelPath = modelPath_.toStdString();
    for (const QString& name : model_.inputNames) {
        bool has = false;
        for (const InputSpec& in : s.inputs) has |= QString::fromStdString(in.name) == name;
        if (!has)
            throw Error(ErrorKind::Settings, "input \"" + name.toStdString() + "\" has no shape", {s.modelPath, {}},
                        "enter its shape in the Inputs table, e.g. 1x3x224x224");
    }
    return s;
}

void MainWindow::startConversion() {
    if (modelPath_.isEmpty()) {
        showMessage(tr("Open a model first (File › Open, or drop a file on the window)."), true);
        return;
    }
    ConversionSettings settings;
    try {
        settings = settingsForConversion();
    } catch (const Error& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return;
    }
    // Shapes for the view can wait; the conversion lowers the model itself.
    runner_->dropAnnotation();
    resetStages();
    progress_->start();
    showMessage(tr("Converting %1 …").arg(modelPath_), false);
    runner_->convert(settings);
}

void MainWindow::onProgress(Stage stage, double fraction, const QString& message) {
    progress_->onProgress(stage, fraction, message);
}

void MainWindow::onConverted(const ConversionReport& r) {
    progress_->finish(true, false);
    results_->showReport(r);
    tabs_->setCurrentWidget(results_);
    QStringList lines;
    lines << tr("Wrote %1").arg(QString::fromStdString(r.packagePath));
    lines << tr("Size: %1").arg(humanBytes(r.packageBytes));
    lines << tr("Ops: %1 (excluding constants)").arg(r.opCount);
    QStringList times;
    for (Stage s : kStages) {
        const auto it = r.stageSeconds.find(stageName(s));
        if (it != r.stageSeconds.end()) times << tr("%1 %2 s").arg(stageTitle(s)).arg(it->second, 0, 'f', 2);
    }
    lines << tr("Stage times: %1").arg(times.join(", "));
    if (r.warnings.empty()) lines << tr("No warnings.");
    for (const std::string& w : r.warnings) lines << tr("warning: %1").arg(QString::fromStdString(w));
    showMessage(lines.join('\n'), false);
}

void MainWindow::onFailed(const QString& message, bool cancelled) {
    keepDocumentOnOpen_ = false;
    // The results panel is on the workspace page; a file that failed to open from elsewhere lands there.
    if (pages_->currentIndex() != WorkspacePageIndex) pages_->setCurrentIndex(WorkspacePageIndex);
    if (progress_->running()) progress_->finish(false, cancelled);
    showMessage(cancelled ? tr("Cancelled. No package was written.") : message, !cancelled);
}

// The op count and the weights come from the full graph: a module outline has neither yet.
void MainWindow::showModelSummary(const ModelInfo& info) {
    const QString ops = info.moduleOutline ? tr("reading ops…") : tr("%1 source ops").arg(info.nodeCount);
    modelLabel_->setText(tr("Model: %1 (%2; outputs: %3)").arg(info.path, ops, info.outputNames.join(", ")));
    quantizationPanel_->setWeights(info.graph && !info.moduleOutline ? collectWeights(*info.graph)
                                                                      : std::vector<ModelWeight>{});
    std::vector<StateSpec> written;  // buffers the model writes in place, offered as states
    if (info.graph && !info.moduleOutline)
        for (const auto& st : info.graph->states) written.push_back({st.name, st.value->shape});
    inputsPanel_->statesEditor()->setModelBuffers(written);
}

void MainWindow::onProgramReady(const ModelInfo& info) {
    if (info.path != modelPath_) return;
    if (model_.moduleOutline) {
        model_.moduleOutline = false;
        model_.nodeCount = info.nodeCount;
        model_.warnings = info.warnings;
        showModelSummary(info);
    }
    model_.graph = info.graph;
    model_.program = info.program;
    model_.graphNote = info.graphNote;
    graphView_->setGraph(info.graph, info.graphNote, info.program);  // same model: expanded groups and view kept
}

void MainWindow::onBusyChanged(bool) {
    // Lowering for the view's shapes runs after an import; it gives way to whatever the user starts.
    const bool busy = runner_->busy() && !runner_->annotating();
    convertButton_->setEnabled(!busy);
    cancelButton_->setEnabled(busy);
    inputsPanel_->setEnabled(!busy);
}

QStringList MainWindow::selectedWeightOps() const {
    QStringList names;
    const graphview::GraphViewModel* model = graphView_->model();
    if (!model) return names;
    for (const graphview::DisplayNode& node : model->nodes()) {
        QGraphicsItem* item = graphView_->scene()->itemForNode(node.id);
        if (!node.source || !item || !item->isSelected()) continue;
        // Ops are named by module path, which the compressor matches against each weight's reader.
        const QString path = QString::fromStdString(node.source->prov.modulePath);
        bool hasWeight = false;
        for (const ir::Value* v : node.source->inputs)
            hasWeight |= v->constant && std::holds_alternative<Tensor>(*v->constant) &&
                         std::get<Tensor>(*v->constant).numel() > 1;
        if (hasWeight && !path.isEmpty() && !names.contains(path)) names << path;
    }
    return names;
}

void MainWindow::showGraphContextMenu(const QPoint& pos) {
    // A right click on an unselected op selects it, as in any list.
    if (QGraphicsItem* item = graphView_->canvas()->itemAt(pos); item && !item->isSelected()) {
        graphView_->scene()->clearSelection();
        item->setSelected(true);
    }
    const QStringList weights = selectedWeightOps();
    QMenu menu;
    QMenu* compress = menu.addMenu(tr("Compress as…"));
    compress->setEnabled(!weights.isEmpty());
    if (weights.isEmpty()) compress->setTitle(tr("Compress as… (select ops with weights)"));
    for (CompressionMethod m : {CompressionMethod::LinearQuantize, CompressionMethod::Palettize})
        compress->addAction(compressionMethodTitle(m), this, [this, weights, m] {
            quantizationPanel_->compressAs(weights, m);
            tabs_->setCurrentWidget(quantizationPanel_);
        });
    compress->addAction(tr("Keep uncompressed"), this, [this, weights] {
        quantizationPanel_->compressAs(weights, std::nullopt);
        tabs_->setCurrentWidget(quantizationPanel_);
    });
    menu.exec(graphView_->canvas()->viewport()->mapToGlobal(pos));
}

void MainWindow::onDocumentChanged() {
    updateTitle();
    // Only input changes alter the graph's shapes.
    if (!modelPath_.isEmpty() && document_->settings().inputs != shapedInputs_) shapeTimer_->start();
}

void MainWindow::refreshShapes() {
    if (shapeRunner_->busy()) {
        shapeTimer_->start();  // the running refresh may be for older shapes; try again after it
        return;
    }
    ConversionSettings settings;
    try {
        settings = settingsForConversion();
    } catch (const Error&) {
        return;  // an input without a shape; Convert reports it if it stays
    }
    settings.compression = {};
    shapedInputs_ = settings.inputs;
    shapeRunner_->openModel(modelPath_, settings);
}

void MainWindow::resetStages() {
    progress_->reset();
}

void MainWindow::showMessage(const QString& text, bool error) {
    result_->setPlainText(text);
    result_->setStyleSheet(error ? QStringLiteral("color: %1;").arg(errorTextColor(palette()).name()) : QString());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().value(0).isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    event->acceptProposedAction();
    if (!path.isEmpty()) openPath(path);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    runner_->stopAndWait();
    event->accept();
}

}  // namespace cms::ui
