#include "start_page.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/resource_path.h"
#include "recent_files.h"

namespace cms::ui {

namespace {

QListWidget* pathList() {
    auto* list = new QListWidget;
    list->setMinimumWidth(320);
    return list;
}

void fill(QListWidget* list, const QStringList& paths, const QString& emptyText) {
    list->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(QFileInfo(path).fileName() + QStringLiteral("  —  ") + QFileInfo(path).path());
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        list->addItem(item);
    }
    if (paths.isEmpty()) {
        auto* item = new QListWidgetItem(emptyText);
        item->setFlags(Qt::NoItemFlags);
        list->addItem(item);
    }
}

}  // namespace

QString bundledDemoModelPath() {
    const QString fromEnv = qEnvironmentVariable("CMS_DEMO_MODEL");
    if (!fromEnv.isEmpty()) return fromEnv;
    // resources/demo beside bin/ in a build tree, share/coreml-studio/resources/demo when installed.
    if (const std::string dir = findResourceDir("demo"); !dir.empty())
        return QDir(QString::fromStdString(dir)).filePath(QStringLiteral("demo_cnn.pt"));
    return QDir::cleanPath(QDir(QCoreApplication::applicationDirPath()).filePath("../resources/demo/demo_cnn.pt"));
}

StartPage::StartPage(RecentFiles* recent, QString demoModelPath, QWidget* parent)
    : QWidget(parent), recent_(recent), demoPath_(std::move(demoModelPath)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 36, 48, 36);
    auto* title = new QLabel(tr("<h1>Core ML Conversion Studio</h1>"
                                "<p>Convert TorchScript models (.pt, .pth, .ts) to Core ML packages. Drop a model or an "
                                ".mlpackage folder anywhere on this window, or use File › Open.</p>"));
    title->setWordWrap(true);
    layout->addWidget(title);

    auto* buttons = new QHBoxLayout;
    demo_ = new QPushButton(tr("Open the demo model"));
    demo_->setToolTip(demoPath_);
    demo_->setEnabled(QFileInfo::exists(demoPath_));
    if (!demo_->isEnabled()) demo_->setToolTip(tr("The demo model is missing: %1").arg(demoPath_));
    auto* browse = new QPushButton(tr("Open…"));
    connect(demo_, &QPushButton::clicked, this, [this] { emit openRequested(demoPath_); });
    connect(browse, &QPushButton::clicked, this, &StartPage::browseRequested);
    buttons->addWidget(demo_);
    buttons->addWidget(browse);
    buttons->addStretch();
    layout->addLayout(buttons);

    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("<b>Recent models and packages</b>")), 0, 0);
    grid->addWidget(new QLabel(tr("<b>Recent projects</b>")), 0, 1);
    models_ = pathList();
    projects_ = pathList();
    grid->addWidget(models_, 1, 0);
    grid->addWidget(projects_, 1, 1);
    layout->addLayout(grid, 1);
    for (QListWidget* list : {models_, projects_})
        connect(list, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
            const QString path = item->data(Qt::UserRole).toString();
            if (!path.isEmpty()) emit openRequested(path);
        });
    connect(recent_, &RecentFiles::changed, this, &StartPage::refresh);
    refresh();
}

void StartPage::refresh() {
    fill(models_, recent_->list(RecentFiles::Kind::Model), tr("No models opened yet."));
    fill(projects_, recent_->list(RecentFiles::Kind::Project), tr("No projects saved yet."));
}

}  // namespace cms::ui
