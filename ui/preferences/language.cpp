#include "preferences/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

namespace cms::ui {

namespace {

const char* const kSettingKey = "ui/language";

// The application's translators live as long as the application.
QTranslator* appTranslator() {
    static auto* t = new QTranslator(QCoreApplication::instance());
    return t;
}

QTranslator* qtTranslator() {
    static auto* t = new QTranslator(QCoreApplication::instance());
    return t;
}

}  // namespace

QList<LanguageChoice> availableLanguages() {
    return {
        {QString(), QCoreApplication::translate("cms::ui::Language", "System language")},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("de"), QStringLiteral("Deutsch")},
        {QStringLiteral("zh_CN"), QStringLiteral("简体中文")},
    };
}

QString languageSetting() { return QSettings().value(kSettingKey).toString(); }

void setLanguageSetting(const QString& code) {
    QSettings settings;
    if (code.isEmpty()) settings.remove(kSettingKey);
    else settings.setValue(kSettingKey, code);
}

QLocale applyLanguage(const QString& code) {
    QCoreApplication::removeTranslator(appTranslator());
    QCoreApplication::removeTranslator(qtTranslator());
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    QLocale::setDefault(locale);
    // English is the source language: no translator. For the system locale, QTranslator walks its
    // UI languages (de_AT -> de, zh_Hans_CN -> zh_CN) and stops at the first it finds.
    if (code == QLatin1String("en")) return locale;
    if (appTranslator()->load(locale, QStringLiteral("coreml-studio"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(appTranslator());
    else
        return locale;  // a language the studio has no translation for keeps Qt's dialogs in English too
    // Qt's own strings (standard buttons, file dialogs), from qt6-translations-l10n when installed.
    if (qtTranslator()->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                             QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator());
    return locale;
}

}  // namespace cms::ui
