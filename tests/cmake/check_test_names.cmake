# Fails when a doctest case name holds a ';'. doctest_discover_tests hands the
# names to CTest as a CMake list, so "a; b" would become two tests, "a" and
# " b", each running a filter that matches nothing, and passing.
#
#   cmake -DTEST_BINARY=path/to/tests -P check_test_names.cmake
execute_process(COMMAND "${TEST_BINARY}" --list-test-cases --no-version
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_BINARY} --list-test-cases failed (${status})")
endif()
string(REPLACE ";" "<SEMICOLON>" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(bad "")
foreach(line IN LISTS lines)
  if(line MATCHES "<SEMICOLON>")
    string(REPLACE "<SEMICOLON>" ";" line "${line}")
    string(APPEND bad "\n  ${line}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "test case names with ';' (CTest would split them; use ','):${bad}")
endif()
