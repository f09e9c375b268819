// The vocabulary core shares with the provider modules: endpoint rows,
// requests, and the one descriptor (ProviderTraits) each provider registers
// in the provider registry (registry.cpp). Core knows providers only through these
// descriptors; it never names one (docs/DESIGN.md, "Adding a provider").
#pragma once

#include <invitekit/invitekit.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ik::detail {

struct ProviderConfig;  // core/client.hpp

enum class Method { Get, Post, Delete };
const char *method_name(Method m);

// One row of a provider's endpoint table.
struct Endpoint {
  int32_t provider;       // IK_PROVIDER_*
  const char *operation;  // "invites.create"
  Method method;
  const char *path;          // template, "{}" marks an encoded path segment
  const char *accept;        // Accept header, nullptr for none
  const char *content_type;  // request body type, nullptr for none
  int32_t kind;              // IK_KIND_* of the result, IK_KIND_NONE otherwise
  bool create;               // a create: never repeated when the outcome is ambiguous
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

// The query parameters of a provider's pagination (core/pager.cpp).
struct PagingNames {
  const char *page_size;  // "PageSize", "limit", "page[size]"
  const char *cursor;     // "after", "page[number]"; nullptr when the cursor is a whole URL (next_page_url)
  bool literal;           // names sent as written, brackets included ("page[number]", not "page%5Bnumber%5D")
};

// A provider's one descriptor: everything the shared machinery knows about it.
struct ProviderTraits {
  int32_t id;        // IK_PROVIDER_*
  const char *name;  // "openai"
  // Fills the provider's configuration from the options and the vendor's
  // environment variables (explicit > environment > default); throws
  // Error(INVALID_ARGUMENT / INVALID_UTF8). nullptr for IK_PROVIDER_NONE.
  void (*resolve)(const ik_client_options &opts, bool ignore_env, ProviderConfig &out);
  // Appended to "no credentials configured for <name>": where they come from.
  const char *credential_hint;
  // Parses an error body into info (provider_code, provider_message, fields);
  // must tolerate anything (non-JSON, empty, wrong shapes).
  void (*parse_error)(ErrorInfo &info, std::string_view content_type, const std::string &body);
  // Extra retryable statuses (OpenAI retries 409 like its SDKs).
  bool retry_409;
  // A 429 that must not be retried (OpenAI insufficient_quota); may be nullptr.
  bool (*non_retryable_429)(const ErrorInfo &info);
  // A header with the Unix time a 429's rate limit resets
  // (Fastly-RateLimit-Reset), lower case; nullptr for none.
  const char *rate_limit_reset_header;
  // The request-id headers, lower case, most specific first; nullptr-terminated.
  const char *const *request_id_headers;
  PagingNames paging;
};

// The descriptor of a provider; IK_PROVIDER_NONE's (name "invitekit", no
// configuration) for an unknown id. Defined in the provider registry (registry.cpp).
const ProviderTraits &provider_traits(int32_t provider);

}  // namespace ik::detail
