// The studio's polish: the interface language chosen in Edit > Preferences (German and Chinese menus
// from the embedded translations), SVG icons on every menu action that stay sharp at 2x, keyboard
// access (menu mnemonics, shortcuts, a focusable graph, tab order) and graph colours that follow a
// dark palette.
#include "main_window.h"
#include "support/test_support.h"

#include <QComboBox>
#include <QGraphicsScene>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeWidget>

#include <set>

#include "graph/graph_canvas.h"
#include "graph/graph_items.h"
#include "graph/graph_view.h"
#include "preferences/language.h"
#include "preferences/preferences_dialog.h"
#include "review/checklist_details.h"
#include "review/checklist_panel.h"
#include "style/palette_colors.h"
#include "style/studio_icons.h"
#include "workspace/recent_files.h"

using namespace cms;
using cms::graphview::OpFamily;

namespace {

QStringList menuTitles(const QMainWindow& window) {
    QStringList titles;
    for (QAction* a : window.menuBar()->actions()) titles << a->text();
    return titles;
}

QMenu* menuNamed(const QMainWindow& window, const QString& title) {
    for (QAction* a : window.menuBar()->actions())
        if (a->text() == title) return a->menu();
    return nullptr;
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

// WCAG 2 contrast ratio of two opaque colours.
double contrast(const QColor& a, const QColor& b) {
    const auto lum = [](const QColor& c) {
        const auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double la = lum(a), lb = lum(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

const OpFamily kFamilies[] = {OpFamily::Input,   OpFamily::Output,     OpFamily::Conv,
                              OpFamily::Norm,    OpFamily::Activation, OpFamily::Pooling,
                              OpFamily::Linear,  OpFamily::Elementwise, OpFamily::Shape, OpFamily::Other};

}  // namespace

class TestStudioPolish : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void menusSpeakTheChosenLanguage();
    void preferencesStoreTheLanguage();
    void checklistDetailsSpeakTheChosenLanguage();
    void menuActionsHaveSharpSvgIcons();
    void keyboardReachesEverything();
    void graphColoursFollowTheTheme_data();
    void graphColoursFollowTheTheme();
    void graphRepaintsDarkWhenThePaletteTurnsDark();

private:
    QPalette startPalette_;
};

void TestStudioPolish::initTestCase() {
    // Settings go to a test location, not the user's.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CoreMLConversionStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_studio_polish"));
    QSettings().clear();
    startPalette_ = QApplication::palette();
}

void TestStudioPolish::cleanup() {
    ui::applyLanguage(QStringLiteral("en"));
    QApplication::setPalette(startPalette_);
}

void TestStudioPolish::menusSpeakTheChosenLanguage() {
    {
        ui::applyLanguage(QStringLiteral("en"));
        ui::MainWindow window;
        const QStringList titles = menuTitles(window);
        QVERIFY2(titles.mid(0, 2) == (QStringList{"&File", "&Edit"}), qPrintable(titles.join(' ')));
        QVERIFY(titles.contains(QStringLiteral("&Help")));
    }
    {
        const QLocale locale = ui::applyLanguage(QStringLiteral("de"));
        QCOMPARE(locale.language(), QLocale::German);
        ui::MainWindow window;
        const QStringList titles = menuTitles(window);
        QVERIFY2(titles.mid(0, 2) == (QStringList{"&Datei", "&Bearbeiten"}), qPrintable(titles.join(' ')));
        QVERIFY(titles.contains(QStringLiteral("&Hilfe")));
        QCOMPARE(window.convertButton()->text(), QStringLiteral("Konvertieren"));
        QMenu* edit = menuNamed(window, QStringLiteral("&Bearbeiten"));
        QVERIFY(edit);
        QStringList editItems;
        for (QAction* a : edit->actions()) editItems << a->text();
        QVERIFY2(editItems.contains(QStringLiteral("&Einstellungen…")), qPrintable(editItems.join(' ')));
        // Qt's own strings follow (qtbase_de.qm from qt6-translations-l10n): the dialog's standard buttons.
        ui::RecentFiles recent;
        ui::PreferencesDialog dialog(&recent);
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Einstellungen"));
        QStringList buttons;
        for (QPushButton* b : dialog.findChildren<QPushButton*>()) buttons << b->text().remove(QLatin1Char('&'));
        QVERIFY2(buttons.contains(QStringLiteral("Abbrechen")), qPrintable(buttons.join(' ')));
    }
    {
        ui::applyLanguage(QStringLiteral("zh_CN"));
        ui::MainWindow window;
        const QStringList titles = menuTitles(window);
        QVERIFY2(titles.mid(0, 2) == (QStringList{"文件(&F)", "编辑(&E)"}), qPrintable(titles.join(' ')));
        QCOMPARE(window.convertButton()->text(), QStringLiteral("转换"));
    }
}

// The checklist's "Based on" column: the core's English details (the CLI's) shown in the chosen language.
void TestStudioPolish::checklistDetailsSpeakTheChosenLanguage() {
    ConversionSettings settings;
    settings.computeUnits = ComputeUnits::CpuAndNeuralEngine;
    settings.fp32Ops = {"features.3"};
    const auto details = [&settings] {
        ui::ChecklistPanel panel;
        panel.setSettings(settings);
        QMap<QString, QString> byId;
        for (int i = 0; i < panel.itemTree()->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* row = panel.itemTree()->topLevelItem(i);
            byId[row->data(0, Qt::UserRole).toString()] = row->text(2);
        }
        return byId;
    };
    ui::applyLanguage(QStringLiteral("en"));
    QMap<QString, QString> en = details();
    QCOMPARE(en.value("eval-mode"), QStringLiteral("the model has not been imported yet"));
    QCOMPARE(en.value("fallback"), QStringLiteral("compute units CPU_AND_NE: Core ML runs what the preferred device "
                                                  "cannot on the CPU; 1 op(s) kept in fp32"));

    ui::applyLanguage(QStringLiteral("de"));
    QMap<QString, QString> de = details();
    QCOMPARE(de.value("eval-mode"), QStringLiteral("das Modell wurde noch nicht importiert"));
    QCOMPARE(de.value("fallback"), QStringLiteral("Recheneinheiten CPU_AND_NE: Was das bevorzugte Gerät nicht kann, "
                                                  "führt Core ML auf der CPU aus; 1 Operation(en) in fp32 belassen"));
    QCOMPARE(de.value("compression"),
             QStringLiteral("keine Komprimierung eingestellt: Gewichte werden in fp16 gespeichert"));

    ui::applyLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(details().value("eval-mode"), QStringLiteral("尚未导入模型"));

    // A message the studio does not know yet shows the core's English.
    analysis::ChecklistItem unknown;
    unknown.detailId = "not-a-message";
    unknown.detailArgs = {"7"};
    unknown.detail = "7 of something";
    QCOMPARE(ui::checklistDetailText(unknown), QStringLiteral("7 of something"));
}

void TestStudioPolish::preferencesStoreTheLanguage() {
    ui::RecentFiles recent;
    {
        ui::PreferencesDialog dialog(&recent);
        QCOMPARE(dialog.languageCombo()->currentData().toString(), QString());  // the system's, by default
        QStringList names;
        for (int i = 0; i < dialog.languageCombo()->count(); ++i) names << dialog.languageCombo()->itemText(i);
        QVERIFY(names.contains("English") && names.contains("Deutsch") && names.contains("简体中文"));
        dialog.languageCombo()->setCurrentIndex(dialog.languageCombo()->findData(QStringLiteral("de")));
        dialog.accept();
    }
    QCOMPARE(ui::languageSetting(), QStringLiteral("de"));
    QCOMPARE(QSettings().value("ui/language").toString(), QStringLiteral("de"));
    {
        ui::PreferencesDialog dialog(&recent);
        QCOMPARE(dialog.languageCombo()->currentText(), QStringLiteral("Deutsch"));
        dialog.languageCombo()->setCurrentIndex(0);  // back to the system language
        dialog.reject();                             // ...but cancelled
    }
    QCOMPARE(ui::languageSetting(), QStringLiteral("de"));
    ui::setLanguageSetting(QString());
    QVERIFY(!QSettings().contains("ui/language"));

    // The window's Edit menu opens it, with a shortcut.
    ui::MainWindow window;
    QMenu* edit = menuNamed(window, QStringLiteral("&Edit"));
    QVERIFY(edit);
    QAction* preferences = nullptr;
    for (QAction* a : edit->actions())
        if (a->text() == QStringLiteral("&Preferences…")) preferences = a;
    QVERIFY(preferences);
    QVERIFY(!preferences->shortcut().isEmpty());
    QCOMPARE(preferences->menuRole(), QAction::PreferencesRole);
}

void TestStudioPolish::menuActionsHaveSharpSvgIcons() {
    ui::MainWindow window;
    int checked = 0;
    // The window's own menus (File, Edit, Help); menus that report views add come with their own actions.
    for (const QString& title : {QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Help")}) {
        QMenu* menu = menuNamed(window, title);
        QVERIFY2(menu, qPrintable(title));
        for (QAction* a : menu->actions()) {
            if (a->isSeparator() || a->menu()) continue;
            if (a->text() == QStringLiteral("Clear Recent Files")) continue;  // inside Open Recent
            QVERIFY2(!a->icon().isNull(), qPrintable(a->text()));
            // At a 2x scale factor the icon is drawn at 2x, not scaled up from a small bitmap.
            const QPixmap pixmap = a->icon().pixmap(QSize(24, 24), 2.0);
            QCOMPARE(pixmap.size(), QSize(48, 48));
            const QImage image = pixmap.toImage();
            int opaque = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) opaque += qAlpha(image.pixel(x, y)) > 0;
            QVERIFY2(opaque > 48 * 48 / 10, qPrintable(a->text() + ": the icon draws almost nothing"));
            ++checked;
        }
    }
    QVERIFY(checked >= 9);  // Open, Demo, Save, Save As, Quit, Undo, Redo, Preferences, About
    QVERIFY(!window.convertButton()->icon().isNull());
    const QPixmap app = ui::applicationIcon().pixmap(QSize(64, 64), 2.0);
    QCOMPARE(app.size(), QSize(128, 128));
}

void TestStudioPolish::keyboardReachesEverything() {
    ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Every menu title has its own mnemonic.
    std::set<QChar> keys;
    for (const QString& title : menuTitles(window)) {
        const qsizetype amp = title.indexOf(QLatin1Char('&'));
        QVERIFY2(amp >= 0 && amp + 1 < title.size(), qPrintable(title));
        QVERIFY2(keys.insert(title[amp + 1].toLower()).second, qPrintable(title + ": mnemonic used twice"));
    }
    // The actions of each menu: distinct mnemonics too.
    for (QAction* top : window.menuBar()->actions()) {
        std::set<QChar> itemKeys;
        for (QAction* a : top->menu()->actions()) {
            if (a->isSeparator() || a->text().isEmpty()) continue;
            const QString text = a->text();
            const qsizetype amp = text.indexOf(QLatin1Char('&'));
            if (amp < 0) continue;  // entries filled in at run time (recent paths)
            QVERIFY2(itemKeys.insert(text[amp + 1].toLower()).second, qPrintable(text + ": mnemonic used twice"));
        }
    }
    QCOMPARE(window.convertButton()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
    QCOMPARE(window.cancelButton()->shortcut(), QKeySequence(Qt::Key_Escape));
    // The graph takes the keyboard focus (arrow keys pan, Ctrl+= zooms) and Tab reaches it, the
    // settings tabs and Convert.
    QWidget* canvas = window.graphView()->canvas();
    QCOMPARE(canvas->focusPolicy(), Qt::StrongFocus);
    std::set<QWidget*> chain;
    QWidget* w = &window;
    for (int i = 0; i < 2000 && (w = w->nextInFocusChain()) != &window;) {
        if (w->focusPolicy() & Qt::TabFocus) chain.insert(w);
        ++i;
    }
    QVERIFY(chain.count(canvas));
    for (QWidget* stop : chain)  // the overview is mouse-only: no Tab stop of its own
        QVERIFY2(!stop->inherits("cms::ui::Minimap"), "the minimap takes a Tab stop");
    QVERIFY(chain.count(window.convertButton()));
    QVERIFY(chain.count(window.settingsTabs()->tabBar()));
}

void TestStudioPolish::graphColoursFollowTheTheme_data() {
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestStudioPolish::graphColoursFollowTheTheme() {
    QFETCH(bool, dark);
    const QPalette palette = dark ? darkPalette() : QPalette(Qt::white);
    QCOMPARE(ui::isDarkPalette(palette), dark);
    const ui::GraphColors colors = ui::GraphColors::fromPalette(palette);
    QCOMPARE(colors.dark, dark);
    QVERIFY(dark ? colors.background.lightness() < 60 : colors.background.lightness() > 230);
    std::set<QRgb> fills;
    for (OpFamily f : kFamilies) {
        const ui::FamilyStyle style = colors.family(f);
        fills.insert(style.fill.rgb());
        QVERIFY2(dark ? style.fill.lightness() < 110 : style.fill.lightness() > 190, qPrintable(style.fill.name()));
        // Node text stays readable on every family's fill (WCAG AA: 4.5).
        QVERIFY2(contrast(colors.nodeText, style.fill) >= 4.5,
                 qPrintable(QStringLiteral("%1 on %2").arg(colors.nodeText.name(), style.fill.name())));
    }
    QVERIFY(fills.size() >= 8);  // families stay told apart (input and output share a style)
    QVERIFY(contrast(colors.edge, colors.background) >= 2.5);
    for (const QColor& status : {ui::errorTextColor(palette), ui::warningTextColor(palette), ui::successTextColor(palette)})
        QVERIFY2(contrast(status, palette.color(QPalette::Base)) >= 4.5, qPrintable(status.name()));
    QVERIFY(contrast(ui::secondaryTextColor(palette), palette.color(QPalette::Base)) >= 3.0);
}

void TestStudioPolish::graphRepaintsDarkWhenThePaletteTurnsDark() {
    QApplication::setPalette(QPalette(Qt::white));
    QGraphicsScene scene;
    const QSizeF size = ui::NodeItem::sizeFor(QStringLiteral("conv2d"), QStringLiteral("1x16x32x32"));
    scene.addItem(new ui::NodeItem(1, OpFamily::Conv, QStringLiteral("conv2d"), QStringLiteral("1x16x32x32"), size));
    ui::GraphCanvas canvas(&scene);
    canvas.resize(400, 300);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    QVERIFY(canvas.backgroundBrush().color().lightness() > 230);
    const auto boxLightness = [&] {
        const QImage shot = canvas.viewport()->grab().toImage();
        const QPoint centre = canvas.mapFromScene(QPointF(-size.width() / 2 + 3, 0));  // inside the box, off the text
        return QColor(shot.pixel(centre)).lightness();
    };
    QVERIFY2(boxLightness() > 190, "a pale box in the light theme");
    QApplication::setPalette(darkPalette());
    QCoreApplication::processEvents();
    QVERIFY2(canvas.backgroundBrush().color().lightness() < 60, qPrintable(canvas.backgroundBrush().color().name()));
    QVERIFY2(boxLightness() < 110, "a deep box in the dark theme (its cached pixmap repainted)");
}

QTEST_MAIN(TestStudioPolish)
#include "test_studio_polish.moc"
