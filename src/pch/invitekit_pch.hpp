// Precompiled header of libinvitekit (src/meson.build, cpp_pch): the system
// headers most of the library's translation units include. Parsing them
// (simdjson.h alone is 31,000 lines) was about a third of each file's compile
// time. Nothing here is a dependency of the code: every source file still
// includes what it uses, and a build with -Db_pch=false (the packaging
// check's subproject build) proves it.
#include <curl/curl.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
