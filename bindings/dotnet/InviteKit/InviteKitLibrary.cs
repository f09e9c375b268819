using InviteKit.Native;
using static InviteKit.Native.NativeMethods;

namespace InviteKit;

/// <summary>The native library: where to load it from, its versions and features.</summary>
public static class InviteKitLibrary
{
    /// <summary>An explicit path of libinvitekit to load, set before the first use of the binding; it wins over the
    /// <c>INVITEKIT_NATIVE_LIBRARY</c> variable, default probing and <c>runtimes/&lt;rid&gt;/native/</c>.</summary>
    public static string? NativeLibraryPath { get; set; }

    /// <summary>The ABI version this binding is written against ("0.2").</summary>
    public const string ExpectedAbiVersion = Loader.ExpectedAbi;

    private static T Init<T>(Func<T> f)
    {
        Loader.EnsureInitialized();
        return f();
    }

    /// <summary>ABI version of the loaded library.</summary>
    public static string AbiVersion => Init(() => Interop.Str(ik_abi_version()) ?? "");
    /// <summary>Version of the loaded library, e.g. "0.2.1".</summary>
    public static string VersionString => Init(() => Interop.Str(ik_version_string()) ?? "");
    /// <summary>Version of the loaded library as MAJOR*10000 + MINOR*100 + PATCH.</summary>
    public static int VersionNumber => Init(ik_version_number);
    /// <summary>Version of the loaded library.</summary>
    public static unsafe Version Version => Init(() =>
    {
        int major, minor, patch;
        ik_version(&major, &minor, &patch);
        return new Version(major, minor, patch);
    });
    /// <summary>Version of the libcurl the library runs on.</summary>
    public static string LibcurlVersion => Init(() => Interop.Str(ik_libcurl_version()) ?? "");
    /// <summary>Whether a client may be used from many threads at once.</summary>
    public static bool SupportsThreads => Init(() => (ik_features() & 1) != 0);
    /// <summary>Whether libcurl has TLS.</summary>
    public static bool SupportsHttps => Init(() => (ik_features() & 2) != 0);
    /// <summary>Whether libcurl has HTTP/2.</summary>
    public static bool SupportsHttp2 => Init(() => (ik_features() & 4) != 0);
    /// <summary>Default response size limit in bytes.</summary>
    public static long DefaultMaxResponseBytes => Init(ik_default_max_response_bytes);
    /// <summary>Log record version the library writes.</summary>
    public static uint LogRecordVersion => Init(ik_log_record_version);
    /// <summary>Retry info version the library writes.</summary>
    public static uint RetryInfoVersion => Init(ik_retry_info_version);
    /// <summary>Where the native library was loaded from (null before the first use or with default probing by name).</summary>
    public static string? LoadedFrom => Loader.LoadedFrom;

    /// <summary>Stable machine name of a status, e.g. "IK_STATUS_NOT_FOUND".</summary>
    public static string StatusName(Status status) => Init(() => Interop.Str(ik_status_name((int)status)) ?? "");
    /// <summary>English text of a status.</summary>
    public static string StatusText(Status status) => Init(() => Interop.Str(ik_status_str((int)status)) ?? "");
    /// <summary>"twilio", "openai", "fastly" or "none".</summary>
    public static string ProviderName(Provider provider) => Init(() => Interop.Str(ik_provider_name((int)provider)) ?? "");
    /// <summary>"error", "warn", "info", "debug", "trace" or "off".</summary>
    public static string LogLevelName(InviteKitLogLevel level) => Init(() => Interop.Str(ik_log_level_name((int)level)) ?? "");
    /// <summary>"present", "present_different", "created", "recovered" or "unknown".</summary>
    public static string EnsureOutcomeName(EnsureOutcome outcome) => Init(() => Interop.Str(ik_ensure_outcome_name((int)outcome)) ?? "");
}
