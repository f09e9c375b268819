// Internal error representation and the C++ exception that carries it to the
// C ABI boundary (src/capi/guard.hpp converts it into an ik_error).
#pragma once

#include <invitekit/error.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/headers.hpp"

namespace ik::detail {

struct ErrorInfo {
  ik_status status = IK_STATUS_INTERNAL;
  std::string message;
  int32_t http_status = 0;
  int32_t provider = IK_PROVIDER_NONE;
  std::string operation;
  bool has_provider_code = false;
  std::string provider_code;
  bool has_provider_message = false;
  std::string provider_message;
  HeaderList fields;  // provider-specific extras (ik_error_field)
  Headers headers;    // response headers of the last attempt
  bool has_request_id = false;
  std::string request_id;
  int64_t retry_after_ms = -1;  // -1 = none
  int32_t cancelled_by = IK_CANCELLED_BY_NONE;
  bool retryable = false;
  bool ambiguous = false;
  int32_t attempts = 0;
  int32_t transport_code = 0;
  bool has_body = false;
  std::string body;

  void set_field(std::string name, std::string value);
  const std::string *field(std::string_view name) const;
};

// The exception used inside the library. Never crosses the C ABI.
class Error : public std::exception {
 public:
  explicit Error(ErrorInfo info) : info_(std::make_shared<ErrorInfo>(std::move(info))) {}
  Error(ik_status status, std::string message);
  const char *what() const noexcept override { return info_->message.c_str(); }
  const ErrorInfo &info() const { return *info_; }
  ErrorInfo &info() { return *info_; }

 private:
  std::shared_ptr<ErrorInfo> info_;
};

[[noreturn]] void fail(ik_status status, std::string message);

// The exception being handled (call only inside a catch block) as an error:
// an Error's own info (moved out), NO_MEMORY for bad_alloc, INTERNAL for
// anything else. The one mapping of the C ABI firewall (guard) and of the
// non-blocking engine, so that no exception crosses the ABI either way.
ErrorInfo current_exception_info() noexcept;

// Maps an HTTP status to the ik_status class (400 -> BAD_REQUEST, ...).
ik_status status_for_http(int32_t http_status);

// "Not Found" for 404 etc.; "" if unknown.
const char *http_reason(int32_t http_status);

}  // namespace ik::detail

// The C-visible error object.
struct ik_error {
  ik::detail::ErrorInfo e;
};
