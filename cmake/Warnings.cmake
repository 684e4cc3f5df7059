# Project-wide warnings; CI turns them into errors with -DHM_WERROR=ON.
add_library(hm_warnings INTERFACE)
target_compile_options(hm_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${HM_WERROR}>>:-Werror>)
