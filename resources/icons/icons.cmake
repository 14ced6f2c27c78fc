# The studio's own SVG icons (menu and toolbar actions, the window icon), embedded in cms_ui under
# :/icons. SVG keeps them sharp at any scale factor; Qt draws them with its SVG icon engine (libqt6svg6).
# The window icon is the desktop icon the package installs.
set(CMS_APP_ICON ${PROJECT_SOURCE_DIR}/packaging/linux/io.github.coremlstudio.CoreMLStudio.svg)
set_source_files_properties(${CMS_APP_ICON} PROPERTIES QT_RESOURCE_ALIAS app.svg)
qt_add_resources(cms_ui cms_icons
    PREFIX /icons
    BASE ${PROJECT_SOURCE_DIR}/resources/icons
    FILES
        ${PROJECT_SOURCE_DIR}/resources/icons/open.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/demo.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/save.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/save-as.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/quit.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/undo.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/redo.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/preferences.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/about.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/convert.svg
        ${PROJECT_SOURCE_DIR}/resources/icons/cancel.svg
        ${CMS_APP_ICON})
