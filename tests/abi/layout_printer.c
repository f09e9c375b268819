/*
 * tests/abi/layout_printer.c - prints the size, alignment and field offsets
 * of every public struct, one fact per line, for the language bindings
 * (e.g. the Rust invitekit-sys layout tests) to compare with their own
 * declarations. check_layout.py fails when a public struct or field is
 * missing here.
 *
 * Output format (stable):
 *   struct <name> size <bytes> align <bytes>
 *   field <name>.<field> offset <bytes> size <bytes>
 */
#include <invitekit/invitekit.h>

#include <stdio.h>

#define ALIGNOF(T) \
  offsetof(        \
      struct {     \
        char c;    \
        T t;       \
      },           \
      t)
#define STRUCT(T) printf("struct %s size %lu align %lu\n", #T, (unsigned long)sizeof(T), (unsigned long)ALIGNOF(T))
#define FIELD(T, f) \
  printf("field %s.%s offset %lu size %lu\n", #T, #f, (unsigned long)offsetof(T, f), (unsigned long)sizeof(((T *)0)->f))

int main(void) {
  printf("# invitekit %s ABI %s, sizeof(void *) %lu\n", IK_VERSION_STRING, IK_ABI_VERSION,
         (unsigned long)sizeof(void *));

  STRUCT(ik_buf);
  FIELD(ik_buf, data);
  FIELD(ik_buf, len);
  FIELD(ik_buf, reserved);

  STRUCT(ik_log_record);
  FIELD(ik_log_record, version);
  FIELD(ik_log_record, level);
  FIELD(ik_log_record, message);
  FIELD(ik_log_record, provider);
  FIELD(ik_log_record, operation);
  FIELD(ik_log_record, method);
  FIELD(ik_log_record, url);
  FIELD(ik_log_record, http_status);
  FIELD(ik_log_record, attempt);
  FIELD(ik_log_record, latency_us);
  FIELD(ik_log_record, request_id);

  STRUCT(ik_retry_info);
  FIELD(ik_retry_info, version);
  FIELD(ik_retry_info, provider);
  FIELD(ik_retry_info, operation);
  FIELD(ik_retry_info, attempt);
  FIELD(ik_retry_info, status);
  FIELD(ik_retry_info, http_status);
  FIELD(ik_retry_info, delay_ms);
  FIELD(ik_retry_info, server_directed);

  STRUCT(ik_client_options);
  FIELD(ik_client_options, version);
  FIELD(ik_client_options, flags);
  FIELD(ik_client_options, twilio_account_sid);
  FIELD(ik_client_options, twilio_auth_token);
  FIELD(ik_client_options, twilio_api_key);
  FIELD(ik_client_options, twilio_api_secret);
  FIELD(ik_client_options, twilio_edge);
  FIELD(ik_client_options, twilio_region);
  FIELD(ik_client_options, twilio_base_url);
  FIELD(ik_client_options, openai_admin_key);
  FIELD(ik_client_options, openai_organization);
  FIELD(ik_client_options, openai_project);
  FIELD(ik_client_options, openai_base_url);
  FIELD(ik_client_options, fastly_api_token);
  FIELD(ik_client_options, fastly_base_url);
  FIELD(ik_client_options, user_agent_suffix);
  FIELD(ik_client_options, connect_timeout_ms);
  FIELD(ik_client_options, attempt_timeout_ms);
  FIELD(ik_client_options, deadline_ms);
  FIELD(ik_client_options, ca_file);
  FIELD(ik_client_options, proxy);
  FIELD(ik_client_options, max_response_bytes);
  FIELD(ik_client_options, max_retries);
  FIELD(ik_client_options, jitter);
  FIELD(ik_client_options, retry_base_delay_ms);
  FIELD(ik_client_options, retry_max_delay_ms);
  FIELD(ik_client_options, max_server_wait_ms);
  FIELD(ik_client_options, server_wait_policy);
  FIELD(ik_client_options, retry_cb);
  FIELD(ik_client_options, retry_user_data);
  FIELD(ik_client_options, retry_user_data_free);
  FIELD(ik_client_options, log_level);
  FIELD(ik_client_options, log_cb);
  FIELD(ik_client_options, log_user_data);
  FIELD(ik_client_options, log_user_data_free);
  FIELD(ik_client_options, completion_mode);
  FIELD(ik_client_options, max_connections);

  STRUCT(ik_call_options);
  FIELD(ik_call_options, version);
  FIELD(ik_call_options, connect_timeout_ms);
  FIELD(ik_call_options, attempt_timeout_ms);
  FIELD(ik_call_options, deadline_ms);
  FIELD(ik_call_options, max_retries);
  FIELD(ik_call_options, retry_ambiguous_posts);
  FIELD(ik_call_options, cancel);
  FIELD(ik_call_options, extra_headers);
  FIELD(ik_call_options, extra_headers_count);

  STRUCT(ik_list_options);
  FIELD(ik_list_options, version);
  FIELD(ik_list_options, page_size);
  FIELD(ik_list_options, max_items);
  FIELD(ik_list_options, cursor);
  FIELD(ik_list_options, provider_cursor);

  STRUCT(ik_openai_project_ref);
  FIELD(ik_openai_project_ref, id);
  FIELD(ik_openai_project_ref, role);

  STRUCT(ik_openai_invite_create_params);
  FIELD(ik_openai_invite_create_params, version);
  FIELD(ik_openai_invite_create_params, email);
  FIELD(ik_openai_invite_create_params, role);
  FIELD(ik_openai_invite_create_params, send_projects);
  FIELD(ik_openai_invite_create_params, projects);
  FIELD(ik_openai_invite_create_params, projects_count);

  STRUCT(ik_twilio_user_params);
  FIELD(ik_twilio_user_params, version);
  FIELD(ik_twilio_user_params, identity);
  FIELD(ik_twilio_user_params, role_sid);
  FIELD(ik_twilio_user_params, attributes);
  FIELD(ik_twilio_user_params, friendly_name);
  FIELD(ik_twilio_user_params, webhook_enabled);

  STRUCT(ik_fastly_service_grant);
  FIELD(ik_fastly_service_grant, service_id);
  FIELD(ik_fastly_service_grant, permission);

  STRUCT(ik_fastly_invitation_create_params);
  FIELD(ik_fastly_invitation_create_params, version);
  FIELD(ik_fastly_invitation_create_params, email);
  FIELD(ik_fastly_invitation_create_params, role);
  FIELD(ik_fastly_invitation_create_params, roles);
  FIELD(ik_fastly_invitation_create_params, roles_count);
  FIELD(ik_fastly_invitation_create_params, limit_services);
  FIELD(ik_fastly_invitation_create_params, customer_id);
  FIELD(ik_fastly_invitation_create_params, services);
  FIELD(ik_fastly_invitation_create_params, services_count);
  return 0;
}
