#pragma once
// The studio's interface language: the choice kept in QSettings, the languages that ship with it and
// the translators that put it into effect (the app's own strings and Qt's standard dialogs).
#include <QList>
#include <QLocale>
#include <QString>

namespace cms::ui {

struct LanguageChoice {
    QString code;        // "" follows the system; else a .qm suffix such as "de" or "zh_CN"
    QString nativeName;  // the language's name in itself ("Deutsch"); the system entry is translated
};

// System, English, then every translation the studio ships.
QList<LanguageChoice> availableLanguages();

// The stored choice ("" = the system's language).
QString languageSetting();
void setLanguageSetting(const QString& code);

// Installs the translators for `code` ("" = the system locale, "en" = none) on the running
// application, replacing the ones installed before, and returns the locale now in use.
QLocale applyLanguage(const QString& code);

}  // namespace cms::ui
