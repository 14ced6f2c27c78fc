#pragma once
// Edit > Preferences: the interface language (stored in QSettings, used from the next start) and the
// recent-files list.
#include <QDialog>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QPushButton;

namespace cms::ui {

class RecentFiles;

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(RecentFiles* recent, QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    QPushButton* clearRecentButton() const { return clearRecent_; }
    // Stores the choices (on OK).
    void accept() override;

private:
    void updateRestartNote();

    RecentFiles* recent_;
    QComboBox* language_;
    QLabel* restartNote_;
    QPushButton* clearRecent_;
    QString startLanguage_;  // the language this session started with
};

// Adds "Preferences…" (Ctrl+, where the platform has no shortcut of its own) to `menu`.
QAction* addPreferencesAction(QMenu* menu, RecentFiles* recent, QWidget* parent);

}  // namespace cms::ui
