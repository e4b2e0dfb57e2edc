# Picky warnings for every target of the project (STYLE.md rule 13).
add_compile_options(
  -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes
  -Wmissing-prototypes -Wno-unused-parameter -Wpointer-arith -Wundef
  -Wcast-qual -Wwrite-strings -Wold-style-definition)
add_compile_definitions(_GNU_SOURCE)
if(STATION_WERROR)
  add_compile_options(-Werror)
endif()
if(STATION_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(STATION_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(STATION_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STATION_FUZZ needs clang: cmake -DCMAKE_C_COMPILER=clang")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
