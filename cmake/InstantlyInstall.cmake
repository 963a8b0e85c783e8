include(CMakePackageConfigHelpers)

set(INSTANTLY_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/instantly")

install(TARGETS instantly EXPORT instantlyTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/instantly DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/instantly/version.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/instantly)
install(EXPORT instantlyTargets NAMESPACE instantly:: DESTINATION ${INSTANTLY_CMAKE_DIR})

configure_package_config_file(cmake/instantlyConfig.cmake.in
  "${PROJECT_BINARY_DIR}/instantlyConfig.cmake" INSTALL_DESTINATION ${INSTANTLY_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/instantlyConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/instantlyConfig.cmake"
              "${PROJECT_BINARY_DIR}/instantlyConfigVersion.cmake"
        DESTINATION ${INSTANTLY_CMAKE_DIR})

file(RELATIVE_PATH INSTANTLY_PC_PREFIX_FROM_PCDIR
     "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/instantly.pc.in "${PROJECT_BINARY_DIR}/instantly.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/instantly.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
