using System.Runtime.InteropServices;

namespace InviteKit.Native;

// Blittable mirrors of the public C structs, field for field, same names as in the headers (the layout test
// compares them with tests/abi/layout_printer.c's output). Strings are UTF-8 pointers owned by a Utf8Arena.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkBuf
{
    public byte* data;
    public nuint len;
    public nuint reserved;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkLogRecord
{
    public uint version;
    public int level;
    public byte* message;
    public int provider;
    public byte* operation;
    public byte* method;
    public byte* url;
    public int http_status;
    public int attempt;
    public long latency_us;
    public byte* request_id;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkRetryInfo
{
    public uint version;
    public int provider;
    public byte* operation;
    public int attempt;
    public int status;
    public int http_status;
    public long delay_ms;
    public int server_directed;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkClientOptions
{
    public uint version;
    public uint flags;
    public byte* twilio_account_sid;
    public byte* twilio_auth_token;
    public byte* twilio_api_key;
    public byte* twilio_api_secret;
    public byte* twilio_edge;
    public byte* twilio_region;
    public byte* twilio_base_url;
    public byte* openai_admin_key;
    public byte* openai_organization;
    public byte* openai_project;
    public byte* openai_base_url;
    public byte* fastly_api_token;
    public byte* fastly_base_url;
    public byte* user_agent_suffix;
    public long connect_timeout_ms;
    public long attempt_timeout_ms;
    public long deadline_ms;
    public byte* ca_file;
    public byte* proxy;
    public long max_response_bytes;
    public int max_retries;
    public int jitter;
    public long retry_base_delay_ms;
    public long retry_max_delay_ms;
    public long max_server_wait_ms;
    public int server_wait_policy;
    public delegate* unmanaged[Cdecl]<IkRetryInfo*, nint, int> retry_cb;
    public nint retry_user_data;
    public delegate* unmanaged[Cdecl]<nint, void> retry_user_data_free;
    public int log_level;
    public delegate* unmanaged[Cdecl]<IkLogRecord*, nint, void> log_cb;
    public nint log_user_data;
    public delegate* unmanaged[Cdecl]<nint, void> log_user_data_free;
    public int completion_mode;
    public int max_connections;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkCallOptions
{
    public uint version;
    public long connect_timeout_ms;
    public long attempt_timeout_ms;
    public long deadline_ms;
    public int max_retries;
    public int retry_ambiguous_posts;
    public nint cancel;
    public byte** extra_headers;
    public nuint extra_headers_count;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkListOptions
{
    public uint version;
    public int page_size;
    public long max_items;
    public byte* cursor;
    public byte* provider_cursor;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkOpenAIProjectRef
{
    public byte* id;
    public byte* role;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkOpenAIInviteCreateParams
{
    public uint version;
    public byte* email;
    public byte* role;
    public int send_projects;
    public IkOpenAIProjectRef* projects;
    public nuint projects_count;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkTwilioUserParams
{
    public uint version;
    public byte* identity;
    public byte* role_sid;
    public byte* attributes;
    public byte* friendly_name;
    public int webhook_enabled;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkFastlyServiceGrant
{
    public byte* service_id;
    public byte* permission;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IkFastlyInvitationCreateParams
{
    public uint version;
    public byte* email;
    public byte* role;
    public byte** roles;
    public nuint roles_count;
    public int limit_services;
    public byte* customer_id;
    public IkFastlyServiceGrant* services;
    public nuint services_count;
}
