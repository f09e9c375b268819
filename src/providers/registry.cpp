// The registry of providers: one line per provider (its descriptor, defined
// in its own module), indexed by IK_PROVIDER_*.
#include "providers/provider.hpp"

namespace ik::detail {

namespace {
const char *const kNoRequestIds[] = {nullptr};
void no_error_body(ErrorInfo &, std::string_view, const std::string &) {}
const ProviderTraits kNoProvider = {
    IK_PROVIDER_NONE,         "invitekit", nullptr, "", no_error_body, false, nullptr, nullptr, kNoRequestIds,
    {nullptr, nullptr, false}};
}  // namespace

const ProviderTraits &provider_traits(int32_t provider) {
  static const ProviderTraits *const kRegistry[] = {
      &kNoProvider,    // IK_PROVIDER_NONE
      &kTwilioTraits,  // IK_PROVIDER_TWILIO
      &kOpenAITraits,  // IK_PROVIDER_OPENAI
      &kFastlyTraits,  // IK_PROVIDER_FASTLY
  };
  constexpr int32_t n = static_cast<int32_t>(sizeof kRegistry / sizeof kRegistry[0]);
  return provider < 0 || provider >= n ? kNoProvider : *kRegistry[provider];
}

}  // namespace ik::detail
