// The error-body writers, one per vendor, and the canned bodies that
// status= faults and 405 answers use.
#include "app.hpp"
#include "json.hpp"

namespace emu {

namespace {

const char *reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : "Client Error";
  }
}

}  // namespace

Reply json_reply(int status, std::string body, const char *content_type) {
  Reply r;
  r.status = status;
  r.content_type = content_type;
  r.body = std::move(body);
  return r;
}

Reply twilio_error(int status, int code, std::string_view message) {
  return json_reply(status, json::Object()
                                .num("code", code)
                                .str("message", message)
                                .str("more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code))
                                .num("status", status)
                                .done());
}

Reply openai_error(int status, std::string_view message, std::string_view type, std::optional<std::string_view> param,
                   std::optional<std::string_view> code) {
  json::Object err;
  err.str("message", message).str("type", type);
  param ? err.str("param", *param) : err.null("param");
  code ? err.str("code", *code) : err.null("code");
  return json_reply(status, json::Object().raw("error", err.done()).done());
}

Reply fastly_error(int status, std::string_view title, std::string_view detail) {
  const std::string item =
      json::Object().str("title", title).str("detail", detail).str("status", std::to_string(status)).done();
  return json_reply(status, json::Object().raw("errors", json::Array().raw(item).done()).done(), kJsonApi);
}

Reply emulator_error(int status, std::string_view message) {
  return json_reply(status, json::Object().raw("error", json::Object().str("message", message).done()).done());
}

Reply vendor_error(Vendor vendor, int status) {
  switch (vendor) {
    case Vendor::Twilio: {
      // 401 → 20003 and 404 → 20404 are Twilio's codes; other statuses use 20000 + status.
      const int code = status == 401 ? 20003 : 20000 + status;
      const std::string message = status == 401 ? "Authenticate" : reason(status);
      return twilio_error(status, code, message);
    }
    case Vendor::OpenAI: {
      const char *type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
      std::optional<std::string_view> code;
      std::string message = reason(status);
      if (status == 429) {
        code = "rate_limit_exceeded";
        message = "Rate limit reached for requests. Please try again later.";
      } else if (status >= 500) {
        message = "The server had an error while processing your request. Sorry about that!";
      }
      return openai_error(status, message, type, std::nullopt, code);
    }
    case Vendor::Fastly:
      return fastly_error(status, reason(status), std::string("The emulator answered ") + std::to_string(status));
    case Vendor::Control:
    case Vendor::Unknown: break;
  }
  return emulator_error(status, reason(status));
}

Reply method_not_allowed(Vendor vendor, std::string_view allow) {
  Reply r = vendor_error(vendor, 405);
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

}  // namespace emu
