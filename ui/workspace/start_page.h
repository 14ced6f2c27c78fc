#pragma once
// What the studio shows before anything is open: the bundled demo model, recent models and
// packages, recent projects, and how to open more.
#include <QWidget>

class QListWidget;
class QPushButton;

namespace cms::ui {

class RecentFiles;

// $CMS_DEMO_MODEL, else the copy the build places at <prefix>/resources/demo beside bin/.
QString bundledDemoModelPath();

class StartPage : public QWidget {
    Q_OBJECT
public:
    StartPage(RecentFiles* recent, QString demoModelPath, QWidget* parent = nullptr);

    QListWidget* recentModels() const { return models_; }
    QListWidget* recentProjects() const { return projects_; }
    QPushButton* demoButton() const { return demo_; }

signals:
    void openRequested(const QString& path);
    void browseRequested();

private:
    void refresh();

    RecentFiles* recent_;
    QString demoPath_;
    QPushButton* demo_;
    QListWidget* models_;
    QListWidget* projects_;
};

}  // namespace cms::ui
