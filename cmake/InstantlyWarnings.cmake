# Warnings for targets we own. Third-party headers come in as SYSTEM includes,
# so -Werror only ever fires on our code.
function(instantly_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor
                                           # Designated initializers that leave members at their
                                           # defaults are the intended style (ClientOptions{.api_key = k}).
                                           -Wno-missing-field-initializers)
  if(INSTANTLY_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
