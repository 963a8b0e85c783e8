# Every dependency comes from Debian packages (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(simdjson CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)

# RapidJSON ships no CMake target on Debian; it is header-only and used only
# inside src/, so a plain include directory is enough.
find_package(RapidJSON CONFIG QUIET)
if(NOT RAPIDJSON_INCLUDE_DIRS)
  find_path(RAPIDJSON_INCLUDE_DIRS rapidjson/writer.h REQUIRED)
endif()

# cpp-httplib is a compiled library on Debian, found through pkg-config. Its
# .pc file carries the feature defines (OpenSSL, zlib, brotli) the headers need.
# The mock server (tools/mock) and the tests use it.
if(INSTANTLY_BUILD_TESTS OR INSTANTLY_BUILD_MOCK)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()
