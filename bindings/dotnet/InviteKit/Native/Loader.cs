using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace InviteKit.Native;

/// <summary>Finds libinvitekit, checks its ABI version and initialises it once.</summary>
internal static class Loader
{
    internal const string Lib = "invitekit";
    internal const string ExpectedAbi = "0.2";
    /// <summary>The oldest library (ik_version_number) this binding works with: 0.2.4, for
    /// IK_COMPLETIONS_IO_THREAD_RELAY.</summary>
    internal const int MinLibraryVersion = 204;

#pragma warning disable CA2255 // a library resolver must be registered before the first P/Invoke
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(Loader).Assembly, Resolve);
#pragma warning restore CA2255

    /// <summary>The file the resolver loaded, for diagnostics.</summary>
    internal static string? LoadedFrom { get; private set; }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Lib) return 0;
        // 1. an explicit path: the settings property, then the environment variable. An explicit path that does not
        //    load is an error, not a reason to quietly load another copy.
        string? explicitPath = InviteKitLibrary.NativeLibraryPath;
        if (string.IsNullOrEmpty(explicitPath)) explicitPath = Environment.GetEnvironmentVariable("INVITEKIT_NATIVE_LIBRARY");
        if (!string.IsNullOrEmpty(explicitPath))
        {
            LoadedFrom = explicitPath;
            return NativeLibrary.Load(explicitPath);
        }
        // 2. default probing: the application's directory and deps.json (a NuGet package's runtimes/ folder), then
        //    the dynamic loader's path (LD_LIBRARY_PATH, an installed libinvitekit0.2 package by its SONAME).
        foreach (string candidate in new[] { Lib, "libinvitekit.so.0.2" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out nint h))
            {
                LoadedFrom = candidate;
                return h;
            }
        }
        // 3. runtimes/<rid>/native/ next to the assembly or the application (a package copied without deps.json).
        #pragma warning disable IL3000 // empty in a single-file app: AppContext.BaseDirectory covers that case
        var dirs = new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory };
#pragma warning restore IL3000
        var rids = new[] { RuntimeInformation.RuntimeIdentifier, $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}" };
        foreach (string? dir in dirs)
        {
            if (string.IsNullOrEmpty(dir)) continue;
            foreach (string rid in rids)
            {
                string path = Path.Combine(dir, "runtimes", rid, "native", "libinvitekit.so");
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint h))
                {
                    LoadedFrom = path;
                    return h;
                }
            }
        }
        return 0; // the runtime then throws DllNotFoundException
    }

    private static readonly Lazy<bool> s_init = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Checks the ABI version and calls ik_global_init, once per process (never ik_global_cleanup).</summary>
    internal static void EnsureInitialized() => _ = s_init.Value;

    private static bool Initialize()
    {
        string? abi = Interop.Str(NativeMethods.ik_abi_version());
        if (abi != ExpectedAbi)
            throw new InvalidOperationException(
                $"libinvitekit ABI version {abi ?? "(none)"} loaded from {LoadedFrom ?? "?"}, this binding needs {ExpectedAbi}");
        int version = NativeMethods.ik_version_number();
        if (version < MinLibraryVersion)
            throw new InvalidOperationException(
                $"libinvitekit {Interop.Str(NativeMethods.ik_version_string())} loaded from {LoadedFrom ?? "?"}, this binding needs 0.2.4 or later");
        int status = NativeMethods.ik_global_init(out ErrorHandle err);
        using (err)
        {
            if (status != 0) throw InviteKitException.FromNative(status, err);
        }
        // The struct versions this binding writes must be accepted by the library it loaded.
        if (NativeMethods.ik_client_options_version() < Interop.ClientOptionsVersion ||
            NativeMethods.ik_call_options_version() < Interop.CallOptionsVersion ||
            NativeMethods.ik_list_options_version() < Interop.ListOptionsVersion ||
            NativeMethods.ik_openai_invite_create_params_version() < 1 ||
            NativeMethods.ik_twilio_user_params_version() < 1 ||
            NativeMethods.ik_fastly_invitation_create_params_version() < 1)
            throw new InvalidOperationException("libinvitekit is older than the structures this binding uses");
        return true;
    }
}
