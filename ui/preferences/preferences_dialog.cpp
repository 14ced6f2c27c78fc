#include "preferences/preferences_dialog.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

#include "preferences/language.h"
#include "style/studio_icons.h"
#include "workspace/recent_files.h"

namespace cms::ui {

PreferencesDialog::PreferencesDialog(RecentFiles* recent, QWidget* parent)
    : QDialog(parent), recent_(recent), startLanguage_(languageSetting()) {
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    language_ = new QComboBox;
    for (const LanguageChoice& choice : availableLanguages()) language_->addItem(choice.nativeName, choice.code);
    language_->setCurrentIndex(std::max(0, language_->findData(startLanguage_)));
    auto* languageLabel = new QLabel(tr("&Language:"));
    languageLabel->setBuddy(language_);
    form->addRow(languageLabel, language_);
    restartNote_ = new QLabel(tr("The new language is used when the studio starts next."));
    restartNote_->setWordWrap(true);
    form->addRow(QString(), restartNote_);

    clearRecent_ = new QPushButton(tr("&Clear Recent Files"));
    clearRecent_->setEnabled(recent_ && (!recent_->list(RecentFiles::Kind::Model).isEmpty() ||
                                         !recent_->list(RecentFiles::Kind::Project).isEmpty()));
    connect(clearRecent_, &QPushButton::clicked, this, [this] {
        recent_->clear();
        clearRecent_->setEnabled(false);
    });
    auto* recentLabel = new QLabel(tr("Recent files:"));
    recentLabel->setBuddy(clearRecent_);
    form->addRow(recentLabel, clearRecent_);
    layout->addLayout(form);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(language_, &QComboBox::currentIndexChanged, this, &PreferencesDialog::updateRestartNote);
    updateRestartNote();
}

void PreferencesDialog::updateRestartNote() {
    restartNote_->setVisible(language_->currentData().toString() != startLanguage_);
}

void PreferencesDialog::accept() {
    setLanguageSetting(language_->currentData().toString());
    QDialog::accept();
}

QAction* addPreferencesAction(QMenu* menu, RecentFiles* recent, QWidget* parent) {
    QAction* action = menu->addAction(studioIcon(QStringLiteral("preferences-system"), QStringLiteral("preferences")),
                                      PreferencesDialog::tr("&Preferences…"));
    action->setMenuRole(QAction::PreferencesRole);
    const QKeySequence platform(QKeySequence::Preferences);
    action->setShortcut(platform.isEmpty() ? QKeySequence(QStringLiteral("Ctrl+,")) : platform);
    QObject::connect(action, &QAction::triggered, parent, [recent, parent] {
        PreferencesDialog dialog(recent, parent);
        dialog.exec();
    });
    return action;
}

}  // namespace cms::ui
