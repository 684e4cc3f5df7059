# hm_embed_files(TARGET DIR FUNCTION [PATTERN]): a static library whose FUNCTION() returns every DIR/PATTERN file
# (default *.sql) as {name without extension, text}, sorted by name. The SQL is compiled in so that the binary is self-contained, and
# the library is regenerated whenever a file changes or is added.
function(hm_embed_files target dir function)
  set(pattern "*.sql")
  if(ARGC GREATER 3)
    set(pattern "${ARGV3}")
  endif()
  file(GLOB files CONFIGURE_DEPENDS "${dir}/${pattern}")
  list(SORT files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION=${function} "-DFILES=${files}"
            -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    DEPENDS ${files} "${CMAKE_CURRENT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    COMMENT "Embedding ${dir}/${pattern}"
    VERBATIM)
  add_library(${target} STATIC "${out}")
  target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/miner")
endfunction()
