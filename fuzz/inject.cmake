# Included by project(hotline) when scripts/fuzz.sh passes
# -DCMAKE_PROJECT_hotline_INCLUDE=<this file>: reads fuzz/CMakeLists.txt after the top-level
# CMakeLists.txt has run (a deferred call), so the fuzz targets link the project's own
# libraries built with the fuzz flags, and the normal build never sees fuzz/.
# (A deferred call expands its arguments when it runs, hence the variable.)
set(HOTLINE_FUZZ_LISTS "${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt")
cmake_language(DEFER CALL include "${HOTLINE_FUZZ_LISTS}")
