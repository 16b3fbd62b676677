# Warnings for the project's own targets only (applied PRIVATE, never exported), with
# -Werror behind BALAI_WERROR so that CI is strict and users' compilers are not.
function(balai_enable_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    if(BALAI_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${BALAI_WERROR}>:/WX>)
  endif()
endfunction()
