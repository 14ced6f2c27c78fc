# fuzz_torchscript_import (included by CMakeLists.txt): the TorchScript import with libtorch, which is linked
# uninstrumented; built only when libtorch is installed. Our part of the import path (the TorchScript frontend's
# sources that importTorchScript reaches, not the rest of the core) is compiled here with the fuzzer's
# instrumentation against libtorch's headers.
find_package(Torch QUIET)
find_package(ZLIB QUIET)
if(NOT Torch_FOUND OR NOT ZLIB_FOUND)
  message(STATUS "libtorch or zlib not found: fuzz_torchscript_import is not built")
  return()
endif()

set(TS ${CORE}/frontends/torchscript)
add_library(cms_fuzz_torchscript STATIC
            ${TS}/torchscript_importer.cpp ${TS}/torchscript_graph.cpp ${TS}/torchvision_ops.cpp
            ${TS}/torch_backports.cpp ${TS}/parameter_constants.cpp ${TS}/state_buffers.cpp ${TS}/source_frames.cpp
            ${TS}/archive_checksums.cpp ${TS}/archive_entries.cpp ${TS}/pickle_nesting_guard.cpp
            ${TS}/archive_layout_guard.cpp ${TS}/pickle_tensor_bounds.cpp ${TS}/class_body_guard.cpp
            ${TS}/debug_pickle_form.cpp ${TS}/archive_outline.cpp)
target_link_libraries(cms_fuzz_torchscript PUBLIC cms_fuzz_parsers ${TORCH_LIBRARIES} ZLIB::ZLIB)
# No vptr check: it needs typeinfo (c10::DynamicType) that Debian's libtorch does not export. Set on the sources,
# so that it comes after the -fsanitize=undefined that cms_fuzz_parsers passes on.
get_target_property(CMS_FUZZ_TORCH_SOURCES cms_fuzz_torchscript SOURCES)
set_property(SOURCE ${CMS_FUZZ_TORCH_SOURCES} APPEND PROPERTY COMPILE_OPTIONS -fno-sanitize=vptr)

add_executable(fuzz_torchscript_import ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_torchscript_import.cpp
               ${CMAKE_CURRENT_SOURCE_DIR}/archive_repack.cpp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_support.cpp)
target_link_libraries(fuzz_torchscript_import PRIVATE cms_fuzz_torchscript)
target_link_options(fuzz_torchscript_import PRIVATE -fsanitize=fuzzer)
list(APPEND CMS_FUZZ_TARGETS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_torchscript_import.cpp)
