using InviteKit.Native;

namespace InviteKit;

/// <summary>A failed invitekit call: everything the library's error object said, copied (the native error is
/// freed before this is thrown, so it is safe to keep, pass between threads and rethrow across awaits).</summary>
public class InviteKitException : Exception
{
    /// <summary>Creates an exception from copied fields (used by the binding; public for tests and mocks).</summary>
    public InviteKitException(Status status, string message) : base(message) => Status = status;

    /// <summary>The status of the failure.</summary>
    public Status Status { get; internal set; }
    /// <summary>The status's stable name, e.g. <c>IK_STATUS_NOT_FOUND</c>.</summary>
    public string StatusName => InviteKitLibrary.StatusName(Status);
    /// <summary>HTTP status of the last response, or null when no response was received.</summary>
    public int? HttpStatus { get; internal set; }
    /// <summary>Provider of the call that failed.</summary>
    public Provider Provider { get; internal set; }
    /// <summary>Operation name, e.g. "invites.create".</summary>
    public string? Operation { get; internal set; }
    /// <summary>The provider's machine-readable error code ("20404", "invalid_api_key", …).</summary>
    public string? ProviderCode { get; internal set; }
    /// <summary>The provider's own error message.</summary>
    public string? ProviderMessage { get; internal set; }
    /// <summary>Request id from the response headers.</summary>
    public string? RequestId { get; internal set; }
    /// <summary>Server-directed retry delay (retry-after-ms, Retry-After, Fastly-RateLimit-Reset), when given.</summary>
    public TimeSpan? RetryAfter { get; internal set; }
    /// <summary>Whether the same call may succeed when repeated later.</summary>
    public bool IsRetryable { get; internal set; }
    /// <summary>Whether the server may have processed the request although the call failed (look before creating again).</summary>
    public bool IsAmbiguous { get; internal set; }
    /// <summary>Attempts made (1 = no retry; 0 = nothing sent).</summary>
    public int Attempts { get; internal set; }
    /// <summary>libcurl's CURLcode of the last attempt, 0 if the transfer itself worked.</summary>
    public int TransportCode { get; internal set; }
    /// <summary>Who cancelled a <see cref="Status.Cancelled"/> call.</summary>
    public CancelledBy CancelledBy { get; internal set; }
    /// <summary>Provider-specific fields by name ("more_info", "param", "errors", "content_type", "url", …).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; internal set; } = new Dictionary<string, string>();
    /// <summary>Response headers of the last attempt, in arrival order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();
    /// <summary>Raw response body of the last attempt, or null when none was received.</summary>
    public ReadOnlyMemory<byte>? Body { get; internal set; }

    /// <summary>The first value of a response header (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var kv in Headers)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) return kv.Value;
        return null;
    }

    /// <summary>Copies a native error (not freed here; the caller owns it). A null error gives a bare exception.</summary>
    internal static unsafe InviteKitException FromNative(int returned, ErrorHandle? handle)
    {
        nint e = handle is null || handle.IsInvalid ? 0 : handle.Raw;
        try { return FromBorrowed(returned, e); }
        finally { GC.KeepAlive(handle); }
    }

    internal static unsafe InviteKitException FromBorrowed(int returned, nint e)
    {
        var status = (Status)(e != 0 ? NativeMethods.ik_error_status(e) : returned);
        if (status == Status.Ok) status = (Status)returned;
        string message = Interop.Str(NativeMethods.ik_error_message(e)) ?? InviteKitLibrary.StatusText(status);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        nuint n = NativeMethods.ik_error_field_count(e);
        for (nuint i = 0; i < n; i++)
        {
            nint name, value;
            if (NativeMethods.ik_error_field_at(e, i, &name, &value) != 0 && name != 0)
                fields[Interop.Str(name)!] = Interop.Str(value) ?? "";
        }
        var headers = new List<KeyValuePair<string, string>>();
        n = NativeMethods.ik_error_header_count(e);
        for (nuint i = 0; i < n; i++)
        {
            nint name, value;
            if (NativeMethods.ik_error_header_at(e, i, &name, &value) != 0)
                headers.Add(new(Interop.Str(name) ?? "", Interop.Str(value) ?? ""));
        }
        nint data; nuint len;
        byte[]? body = Interop.Bytes(NativeMethods.ik_error_body(e, &data, &len), data, len);
        long retryMs;
        TimeSpan? retryAfter = NativeMethods.ik_error_retry_after_ms(e, &retryMs) != 0 ? TimeSpan.FromMilliseconds(retryMs) : null;
        int http = NativeMethods.ik_error_http_status(e);
        var ctor = status switch
        {
            Status.InvalidArgument or Status.InvalidUtf8 => (Func<Status, string, InviteKitException>)((s, m) => new InviteKitArgumentException(s, m)),
            Status.NotFound => (s, m) => new InviteKitNotFoundException(s, m),
            Status.RateLimited => (s, m) => new InviteKitRateLimitedException(s, m),
            Status.Authentication or Status.PermissionDenied or Status.NoCredentials => (s, m) => new InviteKitAuthenticationException(s, m),
            Status.Conflict => (s, m) => new InviteKitConflictException(s, m),
            Status.BadRequest or Status.Unprocessable => (s, m) => new InviteKitBadRequestException(s, m),
            Status.ServerError => (s, m) => new InviteKitServerException(s, m),
            Status.Transport or Status.Tls or Status.Timeout => (s, m) => new InviteKitTransportException(s, m),
            Status.Cancelled => (s, m) => new InviteKitCancelledException(s, m),
            _ => (s, m) => new InviteKitException(s, m),
        };
        var ex = ctor(status, message);
        ex.HttpStatus = http != 0 ? http : null;
        ex.Provider = (Provider)NativeMethods.ik_error_provider(e);
        ex.Operation = Interop.Str(NativeMethods.ik_error_operation(e));
        ex.ProviderCode = Interop.Str(NativeMethods.ik_error_provider_code(e));
        ex.ProviderMessage = Interop.Str(NativeMethods.ik_error_provider_message(e));
        ex.RequestId = Interop.Str(NativeMethods.ik_error_request_id(e));
        ex.RetryAfter = retryAfter;
        ex.IsRetryable = NativeMethods.ik_error_is_retryable(e) != 0;
        ex.IsAmbiguous = NativeMethods.ik_error_is_ambiguous(e) != 0;
        ex.Attempts = NativeMethods.ik_error_attempts(e);
        ex.TransportCode = NativeMethods.ik_error_transport_code(e);
        ex.CancelledBy = (CancelledBy)NativeMethods.ik_error_cancelled_by(e);
        ex.Fields = fields;
        ex.Headers = headers;
        ex.Body = body is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(body);
        return ex;
    }
}

/// <summary>A bad argument (<see cref="Status.InvalidArgument"/>, <see cref="Status.InvalidUtf8"/>); nothing was sent.</summary>
public sealed class InviteKitArgumentException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 404 (<see cref="Status.NotFound"/>).</summary>
public sealed class InviteKitNotFoundException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 429 after the retries (<see cref="Status.RateLimited"/>); see <see cref="InviteKitException.RetryAfter"/>.</summary>
public sealed class InviteKitRateLimitedException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 401/403 or no credentials for the provider.</summary>
public sealed class InviteKitAuthenticationException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 409 (<see cref="Status.Conflict"/>).</summary>
public sealed class InviteKitConflictException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 400 or 422: the server rejected the request.</summary>
public sealed class InviteKitBadRequestException(Status status, string message) : InviteKitException(status, message);
/// <summary>HTTP 5xx after the retries.</summary>
public sealed class InviteKitServerException(Status status, string message) : InviteKitException(status, message);
/// <summary>Connection, TLS or timeout failure.</summary>
public sealed class InviteKitTransportException(Status status, string message) : InviteKitException(status, message);
/// <summary>A call stopped by the retry callback (or another cancellation not asked for through a
/// <see cref="System.Threading.CancellationToken"/>, which gives <see cref="OperationCanceledException"/> instead).</summary>
public sealed class InviteKitCancelledException(Status status, string message) : InviteKitException(status, message);
