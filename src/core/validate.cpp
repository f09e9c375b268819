#include "core/validate.hpp"

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"

namespace ik::detail {

void check_text(const char *s, const char *what, bool required) {
  if (!s) {
    if (required) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not be NULL");
    return;
  }
  std::string_view v(s);
  if (!valid_utf8(v)) fail(IK_STATUS_INVALID_UTF8, std::string(what) + " is not valid UTF-8");
  if (required && v.empty()) fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " must not be empty");
}

void check_version(uint32_t version, uint32_t newest, const char *what) {
  if (version == 0 || version > newest) {
    fail(IK_STATUS_INVALID_ARGUMENT, std::string(what) + " version " + std::to_string(version) +
                                         " is not supported (this library accepts 1.." + std::to_string(newest) +
                                         "; initialise it with the matching _init function)");
  }
}

bool one_of(const char *v, std::initializer_list<const char *> allowed) {
  for (const char *a : allowed) {
    if (std::string_view(v) == a) return true;
  }
  return false;
}

void check_optbool(ik_optbool v, const char *what) {
  if (v != IK_OPTBOOL_UNSET && v != IK_OPTBOOL_TRUE && v != IK_OPTBOOL_FALSE)
    fail(IK_STATUS_INVALID_ARGUMENT,
         std::string(what) + " must be IK_OPTBOOL_UNSET, IK_OPTBOOL_TRUE or IK_OPTBOOL_FALSE");
}

}  // namespace ik::detail
