# The layers of MynaKiosk and the direction they may depend in.
#
#   kiosk  ->  devices, center, offline-cache  ->  flows  ->  base
#
# base is the library below every layer (a hex codec, secret buffers, workers, SQLite): every
# layer may use it, it uses none.
# flows is pure (no SDL, PC/SC, curl, SQLite, threads, clocks or randomness); the adapters
# depend on flows' value types and never on each other; only kiosk sees everything.
# mk_add_layer() records a layer's rules; mk_add_layer_check() adds a build step that scans
# every source of every layer and fails the build on an include that goes the wrong way.

set(MK_LAYERS "" CACHE INTERNAL "")

# mk_add_layer(<folder> TARGET <target>... [USES <folder>...] [FORBID <regex>...])
# A layer may be built as more than one target (base: mk_base and mk_base_sqlite); the rules are
# the folder's, whichever target a file is in.
function(mk_add_layer folder)
  cmake_parse_arguments(ARG "" "" "TARGET;USES;FORBID" ${ARGN})
  set(MK_LAYERS ${MK_LAYERS} ${folder} CACHE INTERNAL "")
  set(MK_LAYER_${folder}_USES "${ARG_USES}" CACHE INTERNAL "")
  set(MK_LAYER_${folder}_FORBID "${ARG_FORBID}" CACHE INTERNAL "")
  set(MK_LAYER_${folder}_TARGET "${ARG_TARGET}" CACHE INTERNAL "")
  foreach(target IN LISTS ARG_TARGET)
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PRIVATE mk_warnings)
  endforeach()
endfunction()

function(mk_add_layer_check)
  set(all_layers base flows devices center offline-cache kiosk)
  set(rules_file ${PROJECT_BINARY_DIR}/mk_layer_rules.cmake)
  set(rules "set(MK_ALL_LAYERS \"${all_layers}\")\nset(MK_CHECKED_LAYERS \"${MK_LAYERS}\")\n")
  set(sources "")
  foreach(layer IN LISTS MK_LAYERS)
    string(MAKE_C_IDENTIFIER ${layer} id)
    set(forbid "${MK_LAYER_${layer}_FORBID}")
    string(APPEND rules "set(MK_USES_${id} \"${MK_LAYER_${layer}_USES}\")\n")
    string(APPEND rules "set(MK_FORBID_${id} \"${forbid}\")\n")
    file(GLOB_RECURSE layer_sources CONFIGURE_DEPENDS
      ${PROJECT_SOURCE_DIR}/${layer}/*.hpp ${PROJECT_SOURCE_DIR}/${layer}/*.cpp)
    list(APPEND sources ${layer_sources})
  endforeach()
  file(WRITE ${rules_file} "${rules}")
  set(stamp ${PROJECT_BINARY_DIR}/mk_layer_check.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DRULES=${rules_file} -DROOT=${PROJECT_SOURCE_DIR}
            -DSTAMP=${stamp} -P ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
    DEPENDS ${sources} ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake ${rules_file}
    COMMENT "Checking layer dependencies"
    VERBATIM)
  add_custom_target(mk_layer_check ALL DEPENDS ${stamp})
  foreach(layer IN LISTS MK_LAYERS)
    foreach(target IN LISTS MK_LAYER_${layer}_TARGET)
      add_dependencies(${target} mk_layer_check)
    endforeach()
  endforeach()
endfunction()
