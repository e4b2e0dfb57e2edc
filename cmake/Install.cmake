# `cmake --install` and the Debian package (CPack DEB). Paths are relative
# to the prefix (/usr for the package) except the configuration, which goes
# to /etc/station whatever the prefix: that is where `station run` looks
# (CONFIG_DEFAULT_PATH). Stage an install with DESTDIR=... cmake --install.
set(STATION_CONF_DIR /etc/station CACHE PATH "where station.conf is installed (absolute)")
set(STATION_UNIT_DIR lib/systemd/system CACHE STRING "systemd unit directory (relative to prefix)")
set(STATION_UDEV_DIR lib/udev/rules.d CACHE STRING "udev rules directory (relative to prefix)")
set(STATION_SYSUSERS_DIR lib/sysusers.d CACHE STRING "sysusers.d directory (relative to prefix)")

install(FILES ${CMAKE_SOURCE_DIR}/config/station.conf DESTINATION ${STATION_CONF_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/config/station.service DESTINATION ${STATION_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/config/60-station.rules DESTINATION ${STATION_UDEV_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/config/station.sysusers DESTINATION ${STATION_SYSUSERS_DIR}
        RENAME station.conf)
install(FILES ${CMAKE_SOURCE_DIR}/docs/man/station.1 ${CMAKE_SOURCE_DIR}/docs/man/mpp-sim.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/docs/diag.md ${CMAKE_SOURCE_DIR}/docs/diag.schema.json
  ${CMAKE_SOURCE_DIR}/docs/metrics.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME anjungan)
set(CPACK_PACKAGE_VENDOR "Anjungan contributors")
set(CPACK_PACKAGE_CONTACT "Anjungan maintainers <anjungan@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pcscd, systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cups-ipp-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_BINARY_DIR}/deb/postinst ${CMAKE_CURRENT_BINARY_DIR}/deb/prerm
    ${CMAKE_CURRENT_BINARY_DIR}/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# A technician's edits to the configuration survive upgrades.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deb/conffiles "${STATION_CONF_DIR}/station.conf\n")
configure_file(${CMAKE_SOURCE_DIR}/config/deb-postinst ${CMAKE_CURRENT_BINARY_DIR}/deb/postinst
               COPYONLY FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
configure_file(${CMAKE_SOURCE_DIR}/config/deb-prerm ${CMAKE_CURRENT_BINARY_DIR}/deb/prerm
               COPYONLY FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# The runtime libraries as dpkg-shlibdeps finds them in the binaries; the
# Debian 12 list by hand where it is not installed.
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libpcsclite1, libzbar0, libqrencode4, libcairo2, libpango-1.0-0, libpangocairo-1.0-0, libusb-1.0-0, libsdl2-2.0-0, libcurl4, libjansson4, libsqlite3-0, libsodium23, libinih1, libmicrohttpd12, libsystemd0, libcups2, libturbojpeg0")
endif()
include(CPack)
