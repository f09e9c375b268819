// What a provider module supplies to the shared machinery: endpoint
// descriptions (a table), request inputs, error-body parsing and retry rules.
// Provider modules contain no transport code.
#pragma once

#include <invitekit/invitekit.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace ik::detail {

enum class Method { Get, Post, Delete };
const char *method_name(Method m);

// One row of a provider's endpoint table.
struct Endpoint {
  int32_t provider;       // IK_PROVIDER_*
  const char *operation;  // "invites.create"
  Method method;
  const char *path;       // template, "{}" marks an encoded path segment
  const char *accept;     // Accept header, nullptr for none
  const char *content_type;  // request body type, nullptr for none
  int32_t kind;           // IK_KIND_* of the result, IK_KIND_NONE otherwise
  bool create;            // a create: never repeated when the outcome is ambiguous
};

// A concrete request built from an Endpoint.
struct Request {
  const Endpoint *ep = nullptr;
  std::string path_query;    // encoded path (+ "?" + query) relative to the base URL
  std::string absolute_url;  // instead of path_query (Twilio next_page_url); must be same-origin
  std::string body;
  std::vector<std::string> headers;  // extra "Name: value" lines (e.g. X-Twilio-Webhook-Enabled)
};

// Fills the path template's "{}" markers with percent-encoded segments.
std::string expand_path(const char *tmpl, std::initializer_list<std::string_view> segments);

// A request for an endpoint row with its path segments filled in.
inline Request make_request(const Endpoint &ep, std::initializer_list<std::string_view> segments = {}) {
  Request req;
  req.ep = &ep;
  req.path_query = expand_path(ep.path, segments);
  return req;
}

// Per-provider behaviour of the shared transport.
struct ProviderTraits {
  int32_t id;
  const char *name;
  // Parses an error body into info (provider_code, provider_message, fields);
  // must tolerate anything (non-JSON, empty, wrong shapes).
  void (*parse_error)(ErrorInfo &info, std::string_view content_type, const std::string &body);
  // Extra retryable statuses (OpenAI retries 409 like its SDKs).
  bool retry_409;
  // A 429 that must not be retried (OpenAI insufficient_quota).
  bool (*non_retryable_429)(const ErrorInfo &info);
};

const ProviderTraits &provider_traits(int32_t provider);

// Error-body parsers (one per provider, in the provider modules).
void openai_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);
bool openai_non_retryable_429(const ErrorInfo &info);
void twilio_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);
void fastly_parse_error(ErrorInfo &info, std::string_view content_type, const std::string &body);

}  // namespace ik::detail
