# One warning set for every target of ours (not for third-party code).
add_library(mk_warnings INTERFACE)
target_compile_options(mk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
  -Wimplicit-fallthrough -Wformat=2)
if(MK_WERROR)
  target_compile_options(mk_warnings INTERFACE -Werror)
endif()
