#include "core/error.hpp"

#include "core/encoding.hpp"

#include <new>

namespace ik::detail {

void ErrorInfo::set_field(std::string name, std::string value) {
  for (auto &f : fields) {
    if (f.first == name) {
      f.second = std::move(value);
      return;
    }
  }
  fields.emplace_back(std::move(name), std::move(value));
}

const std::string *ErrorInfo::field(std::string_view name) const {
  for (const auto &f : fields) {
    if (f.first == name) return &f.second;
  }
  return nullptr;
}

Error::Error(ik_status status, std::string message) : info_(std::make_shared<ErrorInfo>()) {
  info_->status = status;
  info_->message = std::move(message);
}

void fail(ik_status status, std::string message) { throw Error(status, std::move(message)); }

ik_status status_for_http(int32_t s) {
  switch (s) {
    case 400: return IK_STATUS_BAD_REQUEST;
    case 401: return IK_STATUS_AUTHENTICATION;
    case 403: return IK_STATUS_PERMISSION_DENIED;
    case 404: return IK_STATUS_NOT_FOUND;
    case 408: return IK_STATUS_TIMEOUT;
    case 409: return IK_STATUS_CONFLICT;
    case 422: return IK_STATUS_UNPROCESSABLE;
    case 429: return IK_STATUS_RATE_LIMITED;
    default: break;
  }
  if (s >= 500 && s <= 599) return IK_STATUS_SERVER_ERROR;
  return IK_STATUS_HTTP_OTHER;
}

const char *http_reason(int32_t s) {
  switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
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
    default: return "";
  }
}

ErrorInfo current_exception_info() noexcept {
  ErrorInfo info;
  try {
    try {
      throw;
    } catch (Error &e) {
      info = std::move(e.info());
    } catch (const std::bad_alloc &) {
      info.status = IK_STATUS_NO_MEMORY;
      info.message = "out of memory";
    } catch (const std::exception &e) {
      info.status = IK_STATUS_INTERNAL;
      info.message = std::string("internal error: ") + e.what();
    } catch (...) {
      info.status = IK_STATUS_INTERNAL;
      info.message = "internal error: unknown exception";
    }
  } catch (...) {
    // Building the message itself failed (out of memory): the status is enough.
    info = ErrorInfo{};
    info.status = IK_STATUS_NO_MEMORY;
  }
  return info;
}

}  // namespace ik::detail
