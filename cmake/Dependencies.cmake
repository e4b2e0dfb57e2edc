# Every system library, found with pkg-config. A missing one stops the
# configure step with the Debian package that provides it.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

function(station_require target module debian_package)
  pkg_check_modules(${target} IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR
      "Missing dependency '${module}'. On Debian 12 install it with:\n"
      "    apt-get install ${debian_package}\n"
      "or install everything at once with: tools/install-deps")
  endif()
endfunction()

station_require(PCSC     libpcsclite   libpcsclite-dev)
station_require(ZBAR     zbar          libzbar-dev)
station_require(QRENCODE libqrencode   libqrencode-dev)
station_require(CAIRO    cairo         libcairo2-dev)
station_require(PANGO    pangocairo    libpango1.0-dev)
station_require(USB      libusb-1.0    libusb-1.0-0-dev)
station_require(SDL2     sdl2          libsdl2-dev)
station_require(CURL     libcurl       libcurl4-openssl-dev)
station_require(JANSSON  jansson       libjansson-dev)
station_require(SQLITE   sqlite3       libsqlite3-dev)
station_require(SODIUM   libsodium     libsodium-dev)
station_require(INIH     inih          libinih-dev)
station_require(MHD      libmicrohttpd libmicrohttpd-dev)
station_require(SYSTEMD  libsystemd    libsystemd-dev)
station_require(TURBOJPEG libturbojpeg libturbojpeg0-dev)
station_require(ESPEAK   espeak-ng     libespeak-ng-dev)

# Debian 12's libcups2-dev ships no cups.pc: ask cups-config.
find_program(CUPS_CONFIG cups-config)
if(NOT CUPS_CONFIG)
  message(FATAL_ERROR "Missing dependency 'libcups'. On Debian 12 install it with:\n"
                      "    apt-get install libcups2-dev")
endif()
execute_process(COMMAND ${CUPS_CONFIG} --libs OUTPUT_VARIABLE CUPS_LIBS
                OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(CUPS_LIBS)
add_library(CUPS INTERFACE)
target_link_libraries(CUPS INTERFACE ${CUPS_LIBS})
