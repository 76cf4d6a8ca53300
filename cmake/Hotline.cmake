# Shared build helpers: per-target warnings, sanitizers and test registration.

set(HOTLINE_SOURCE_ROOT "${CMAKE_SOURCE_DIR}")

if(HOTLINE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS)
  add_link_options(-fsanitize=address,undefined)
endif()
if(HOTLINE_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# hotline_warnings(target): the project's warning set, -Werror with HOTLINE_WERROR.
function(hotline_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
    # GCC 12 reports impossible overlaps for std::string concatenation at -O2
    # (GCC bug 105329); the warning has no true positives in this code base.
    -Wno-restrict)
  if(HOTLINE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# hotline_library(name SOURCES ... DEPS ...): a project library with src/ as include root.
function(hotline_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC "${HOTLINE_SOURCE_ROOT}/src")
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  hotline_warnings(${name})
endfunction()

# hotline_test(name SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary, discovered by ctest.
function(hotline_test name)
  if(NOT HOTLINE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} hotline_testing GTest::gtest GTest::gmock
                        GTest::gtest_main)
  hotline_warnings(${name})
  set(props ENVIRONMENT "HOTLINE_SOURCE_DIR=${HOTLINE_SOURCE_ROOT}")
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
