# What keeps a first build short on a 2-core machine (docs/build.md has the measurements).
#
# Most of a translation unit's time went into parsing the same headers again: the public model
# headers, the standard library, simdjson, pybind11, cpp-httplib, doctest. Unity builds compile
# several sources as one translation unit, so those headers are parsed once per batch instead of
# once per file. Generated codec sources are batched by size rather than by count, so that each
# batch takes about as long as the others and none holds up a parallel build.
#
# INSTANTLY_UNITY_BUILD=OFF compiles file by file again, e.g. while editing one source; ccache,
# when installed, makes rebuilds of unchanged batches free.

option(INSTANTLY_UNITY_BUILD "Compile sources in batches, one translation unit per batch" ON)
option(INSTANTLY_USE_CCACHE "Compile through ccache when it is installed" ON)

if(INSTANTLY_USE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(INSTANTLY_CCACHE_PROGRAM ccache)
  if(INSTANTLY_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${INSTANTLY_CCACHE_PROGRAM}")
  endif()
endif()

# instantly_unity_batches(<target> [MAX_FILES n] [MAX_BYTES n] [EXCLUDE <sources>...])
#
# Puts the target's C++ sources, in path order, into unity batches of at most MAX_FILES files
# and MAX_BYTES bytes of source (a file larger than that gets a batch of its own). EXCLUDE lists
# sources compiled on their own: data tables that gain nothing from batching and whose
# file-local names repeat from file to file, and sources several targets share (a source's
# batch is a property of the file, so only one target could own it).
function(instantly_unity_batches target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MAX_FILES;MAX_BYTES" "EXCLUDE")
  if(NOT INSTANTLY_UNITY_BUILD)
    return()
  endif()
  if(NOT arg_MAX_FILES)
    set(arg_MAX_FILES 8)
  endif()
  if(NOT arg_MAX_BYTES)
    set(arg_MAX_BYTES 1000000000)
  endif()

  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(sources ${target} SOURCES)
  set(paths "")
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.(cpp|cc|cxx)$" OR source MATCHES "^\\$<")
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE path)
    list(APPEND paths "${path}")
  endforeach()
  list(SORT paths)

  set(excluded "")
  foreach(source IN LISTS arg_EXCLUDE)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE path)
    list(APPEND excluded "${path}")
  endforeach()

  set(batch 0)
  set(files 0)
  set(bytes 0)
  foreach(path IN LISTS paths)
    if(path IN_LIST excluded)
      continue()
    endif()
    file(SIZE "${path}" size)
    math(EXPR grown "${bytes} + ${size}")
    if(files GREATER_EQUAL arg_MAX_FILES OR (files GREATER 0 AND grown GREATER arg_MAX_BYTES))
      math(EXPR batch "${batch} + 1")
      set(files 0)
      set(grown ${size})
    endif()
    math(EXPR files "${files} + 1")
    set(bytes ${grown})
    set_property(SOURCE "${path}" TARGET_DIRECTORY ${target} PROPERTY UNITY_GROUP "${target}_${batch}")
  endforeach()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
endfunction()
