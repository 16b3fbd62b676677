// Which of balai's symbols a shared libbalai exports: what the public headers declare,
// and nothing else. balai is compiled with hidden visibility (internal functions, the
// headers under src/ and the standard library's instantiations stay inside the library),
// and each public header wraps its declarations in BALAI_EXPORT_BEGIN / BALAI_EXPORT_END,
// which give them default visibility when balai is a shared library (BALAI_SHARED, set by
// CMake for the library and its users). A static balai exports nothing: linked into a
// plugin, it does not re-export its symbols from the plugin.
#pragma once

#if defined(BALAI_SHARED) && (defined(__GNUC__) || defined(__clang__))
#define BALAI_EXPORT_BEGIN _Pragma("GCC visibility push(default)")
#define BALAI_EXPORT_END _Pragma("GCC visibility pop")
#else
#define BALAI_EXPORT_BEGIN
#define BALAI_EXPORT_END
#endif
