// What a provider module supplies to the shared machinery: endpoint
// descriptions (a table), request inputs, response mapping, error-body
// parsing and its descriptor (core/provider.hpp). Provider modules contain no
// transport code.
#pragma once

#include <invitekit/invitekit.h>

#include "core/client.hpp"
#include "core/json.hpp"
#include "core/provider.hpp"

namespace ik::detail {

// Error-body parsers and retry rules (ProviderTraits members; also called by
// the fuzz harnesses).
void openai_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);
bool openai_non_retryable_429(const ErrorInfo &info);
void twilio_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);
void fastly_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);

// The descriptors (registered in registry.cpp).
extern const ProviderTraits kTwilioTraits;
extern const ProviderTraits kOpenAITraits;
extern const ProviderTraits kFastlyTraits;

}  // namespace ik::detail
