# The studio's translations (German, Simplified Chinese), included from ui/CMakeLists.txt for cms_ui.
# `ninja update_translations` re-scans ui/ for tr() strings into the .ts files (translators then fill
# them in with Qt Linguist); the build compiles them with lrelease and embeds the .qm files under
# :/i18n. tests/i18n/test_translations fails when a string is missing or unfinished.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)
set(CMS_TS_FILES
    ${PROJECT_SOURCE_DIR}/translations/coreml-studio_de.ts
    ${PROJECT_SOURCE_DIR}/translations/coreml-studio_zh_CN.ts)
# Without source locations, a .ts changes only when the strings do.
qt_add_translations(cms_ui
    TS_FILES ${CMS_TS_FILES}
    SOURCES ${CMS_UI_SOURCES}
    RESOURCE_PREFIX /i18n
    LUPDATE_OPTIONS -no-obsolete -locations none)
