# Installs the components with a CMake package config and one pkg-config file each:
#
#   find_package(instantly CONFIG REQUIRED)                          # instantly::instantly
#   find_package(instantly CONFIG REQUIRED COMPONENTS workflows)     # + instantly::workflows
#   find_package(instantly CONFIG REQUIRED COMPONENTS redis)         # + instantly::redis (when built)
#   find_package(instantly CONFIG REQUIRED COMPONENTS postgres)      # + instantly::postgres (when built)
#   find_package(instantly CONFIG REQUIRED COMPONENTS prometheus)    # + instantly::prometheus (when built)
#   pkg-config --cflags --libs instantly / instantly-workflows / instantly-redis / instantly-postgres / instantly-prometheus
#
# Every component has its own export set, so a program that asks for the client alone
# loads (and links) nothing of the others.
include(CMakePackageConfigHelpers)

set(INSTANTLY_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/instantly")

install(DIRECTORY include/instantly DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/instantly/version.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/instantly)

file(RELATIVE_PATH INSTANTLY_PC_PREFIX_FROM_PCDIR
     "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")

# instantly_install_component(<target> <component> <pkg-config name> <pkg-config Requires> <description>)
function(instantly_install_component target component pc_name pc_requires description)
  install(TARGETS ${target} EXPORT instantly-${component}-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT instantly-${component}-targets NAMESPACE instantly::
          DESTINATION ${INSTANTLY_CMAKE_DIR})

  get_target_property(library_name ${target} OUTPUT_NAME)
  if(NOT library_name)
    set(library_name ${target})
  endif()
  set(PC_NAME "${pc_name}")
  set(PC_DESCRIPTION "${description}")
  set(PC_REQUIRES "${pc_requires}")
  set(PC_LIBRARY "${library_name}")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/instantly.pc.in" "${PROJECT_BINARY_DIR}/${pc_name}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${pc_name}.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

  set_property(GLOBAL APPEND PROPERTY INSTANTLY_INSTALLED_COMPONENTS ${component})
endfunction()

# The library is static by default, so its consumers link its private dependencies too.
instantly_install_component(instantly core instantly "libcurl libcrypto simdjson"
  "C++20 client for the Instantly.ai API v2")
instantly_install_component(instantly_workflows workflows instantly-workflows "instantly libcrypto"
  "Workflows on the instantly client: bulk import, sync, engagement, sealed keys")
if(TARGET instantly_redis)
  instantly_install_component(instantly_redis redis instantly-redis "instantly hiredis libcrypto"
    "A rate limit shared by every process on an Instantly workspace, kept in Redis")
endif()
if(TARGET instantly_postgres)
  instantly_install_component(instantly_postgres postgres instantly-postgres "instantly-workflows instantly libpq libcrypto"
    "The Instantly pipeline's PostgreSQL database, isolated per organisation")
endif()
if(TARGET instantly_prometheus)
  instantly_install_component(instantly_prometheus prometheus instantly-prometheus "instantly prometheus-cpp-core"
    "Metrics of Instantly clients, webhook receivers and workflows for Prometheus")
endif()

get_property(INSTANTLY_COMPONENTS GLOBAL PROPERTY INSTANTLY_INSTALLED_COMPONENTS)
list(REMOVE_ITEM INSTANTLY_COMPONENTS core)
configure_package_config_file(cmake/instantlyConfig.cmake.in
  "${PROJECT_BINARY_DIR}/instantlyConfig.cmake" INSTALL_DESTINATION ${INSTANTLY_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/instantlyConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/instantlyConfig.cmake"
              "${PROJECT_BINARY_DIR}/instantlyConfigVersion.cmake"
        DESTINATION ${INSTANTLY_CMAKE_DIR})
