// Input validation shared by the C shims and the providers: text (UTF-8,
// required), struct versions, optional booleans, enumerated values.
#pragma once

#include <invitekit/common.h>

#include <cstdint>
#include <initializer_list>

namespace ik::detail {

// Throws Error(INVALID_ARGUMENT / INVALID_UTF8) naming `what`.
void check_text(const char *s, const char *what, bool required);
void check_version(uint32_t version, uint32_t newest, const char *what);
// An ik_optbool input must be one of IK_OPTBOOL_UNSET/TRUE/FALSE.
void check_optbool(ik_optbool v, const char *what);
// True when v (not NULL) equals one of the allowed values.
bool one_of(const char *v, std::initializer_list<const char *> allowed);

}  // namespace ik::detail
