# Use ccache when it is installed: a clean CI clone rebuilds everything, ccache makes
# the second and later runs on the same machine cheap.
find_program(MK_CCACHE ccache)
if(MK_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${MK_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${MK_CCACHE})
  message(STATUS "ccache: ${MK_CCACHE}")
endif()
