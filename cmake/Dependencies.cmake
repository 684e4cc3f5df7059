# Third-party dependencies: Debian 12 packages, plus the tree-sitter-python grammar from npm
# (Debian labels libtree-sitter 0.20.7 as pkg-config version 0.6.3, hence no version check there.)
# (node_modules/, installed by scripts/setup with `npm ci`, never committed).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
pkg_check_modules(TREESITTER REQUIRED IMPORTED_TARGET tree-sitter)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(Threads REQUIRED)
# jemalloc replaces glibc's malloc in the hybridminer binary: parsing and tree walks allocate and free millions of
# small nodes, and glibc's allocator cost 12 % of a mine's CPU (measured: Keras' full mine, 130 s -> 103 s CPU).
# Sanitizer and fuzzing builds keep their own allocator.
if(NOT HM_SANITIZE AND NOT HM_FUZZ)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

set(HM_GRAMMAR_DIR "${CMAKE_CURRENT_SOURCE_DIR}/node_modules/tree-sitter-python/src")
if(NOT EXISTS "${HM_GRAMMAR_DIR}/parser.c")
  message(FATAL_ERROR "tree-sitter-python grammar not found in ${HM_GRAMMAR_DIR}; run scripts/setup (npm ci)")
endif()
# Generated C code: compiled without our warning flags.
add_library(tree_sitter_python STATIC "${HM_GRAMMAR_DIR}/parser.c" "${HM_GRAMMAR_DIR}/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${HM_GRAMMAR_DIR}")
target_link_libraries(tree_sitter_python PUBLIC PkgConfig::TREESITTER)
set_target_properties(tree_sitter_python PROPERTIES POSITION_INDEPENDENT_CODE ON C_STANDARD 11)
target_compile_options(tree_sitter_python PRIVATE -w)
