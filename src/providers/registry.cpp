// The per-provider traits used by the shared transport.
#include "providers/provider.hpp"

namespace ik::detail {

const ProviderTraits &provider_traits(int32_t provider) {
  static const ProviderTraits kTraits[] = {
      {IK_PROVIDER_NONE, "invitekit", [](ErrorInfo &, std::string_view, const std::string &) {}, false, nullptr},
      {IK_PROVIDER_TWILIO, "twilio", twilio_parse_error, false, nullptr},
      {IK_PROVIDER_OPENAI, "openai", openai_parse_error, true, openai_non_retryable_429},
      {IK_PROVIDER_FASTLY, "fastly", fastly_parse_error, false, nullptr},
  };
  if (provider < 0 || provider > IK_PROVIDER_FASTLY) return kTraits[0];
  return kTraits[provider];
}

}  // namespace ik::detail
