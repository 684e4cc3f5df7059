# Project-wide warnings; CI turns them into errors with -DHM_WERROR=ON.
add_library(hm_warnings INTERFACE)
target_compile_options(hm_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  # GCC 12 (Debian 12) warns falsely on "literal" + std::string&& when optimizing (GCC PR105329, fixed in 13).
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${HM_WERROR}>>:-Werror>)
