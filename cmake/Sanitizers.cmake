# ASan + UBSan for the whole build (tests run under it in CI). At -O1, as the AddressSanitizer manual advises for
# "reasonable performance": on two cores the suite took 516 s at -O1 against 691 s at -O0, where a test of a
# thousand-commit history had run past CTest's 300 s (165-183 s a mine pair at -O0, 101-108 s at -O1). The build
# takes about 5 min longer.
if(HM_SANITIZE)
  add_compile_options(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  # GCC 12 warns, with ASan at -O1, that libstdc++'s own std::regex state "may be used uninitialized" (a false
  # positive of the sanitizer's instrumentation); the unsanitized builds keep the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (scripts/fuzz): libFuzzer's coverage instrumentation plus ASan + UBSan everywhere, so the grammar and
# the detectors are both explored and checked. libFuzzer ships with clang only.
if(HM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HM_FUZZ=ON needs clang (libFuzzer): configure with CC=clang CXX=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
