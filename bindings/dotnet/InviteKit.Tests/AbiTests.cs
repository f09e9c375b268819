using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using InviteKit.Native;

namespace InviteKit.Tests;

/// <summary>The binding against the C ABI contract: tests/abi/symbols.txt, functions.txt and the layout printer.</summary>
public class AbiTests
{
    /// <summary>Functions imported but deliberately not called, each with its reason. Keep it short.</summary>
    internal static readonly Dictionary<string, string> Excluded = new()
    {
        ["ik_global_cleanup"] = "never called: the binding holds its ik_global_init reference for the process (style guide C11)",
        ["ik_op_wait"] = "async methods never block; the synchronous twins call the blocking functions instead",
        ["ik_op_done"] = "the completion callback is the only completion signal the binding needs",
        ["ik_op_error"] = "the callback takes the error (ik_op_take_error) instead of borrowing it",
        ["ik_op_provider"] = "the error and the result carry the provider",
        ["ik_op_operation"] = "the error carries the operation name",
        ["ik_op_result_type"] = "each method knows its result type; the typed ik_op_take_* checks it",
        ["ik_client_completion_fd"] = "the binding uses IK_COMPLETIONS_IO_THREAD; queued completions are for hosts with their own event loop",
        ["ik_client_dispatch"] = "as ik_client_completion_fd",
        ["ik_cancel_token_reset"] = "a synchronous call gets a fresh token; tokens are never reused",
        ["ik_error_field"] = "InviteKitException copies every field through ik_error_field_count/_at",
        ["ik_error_header"] = "InviteKitException copies every header through ik_error_header_count/_at",
        ["ik_response_header"] = "ResponseInfo copies every header through ik_response_header_count/_at",
    };

    private static Dictionary<string, MethodInfo> Imports() =>
        typeof(NativeMethods).GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .ToDictionary(m => m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint ?? m.Name);

    [Fact]
    public void AbiVersionIs02()
    {
        Assert.Equal("0.2", InviteKitLibrary.AbiVersion);
        Assert.Equal(InviteKitLibrary.ExpectedAbiVersion, InviteKitLibrary.AbiVersion);
        Assert.StartsWith("0.2.", InviteKitLibrary.VersionString);
        Assert.Equal(InviteKitLibrary.Version.Major * 10000 + InviteKitLibrary.Version.Minor * 100 + InviteKitLibrary.Version.Build,
            InviteKitLibrary.VersionNumber);
        Assert.True(InviteKitLibrary.SupportsThreads);
        Assert.NotEmpty(InviteKitLibrary.LibcurlVersion);
        Assert.Equal(16L << 20, InviteKitLibrary.DefaultMaxResponseBytes);
        Assert.True(InviteKitLibrary.LogRecordVersion >= 1 && InviteKitLibrary.RetryInfoVersion >= 1);
        Assert.Equal("IK_STATUS_NOT_FOUND", InviteKitLibrary.StatusName(Status.NotFound));
        Assert.Equal("openai", InviteKitLibrary.ProviderName(Provider.OpenAI));
        Assert.Equal("warn", InviteKitLibrary.LogLevelName(InviteKitLogLevel.Warn));
        Assert.Equal("recovered", InviteKitLibrary.EnsureOutcomeName(EnsureOutcome.Recovered));
        Assert.NotEmpty(InviteKitLibrary.StatusText(Status.Timeout));
    }

    [Fact]
    public void EverySymbolIsImportedAndUsedOrExcluded()
    {
        string[] symbols = File.ReadAllLines(Path.Combine(Env.SourceRoot, "tests", "abi", "symbols.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.True(symbols.Length > 200);
        var imports = Imports();
        string libDir = Path.Combine(Env.SourceRoot, "bindings", "dotnet", "InviteKit");
        string sources = string.Join("\n", Directory.GetFiles(libDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("NativeMethods.g.cs") && !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Select(f => Regex.Replace(File.ReadAllText(f), @"//.*$", "", RegexOptions.Multiline)));
        var problems = new List<string>();
        foreach (string s in symbols)
        {
            if (!imports.ContainsKey(s)) problems.Add($"{s}: not imported");
            bool used = Regex.IsMatch(sources, $@"\b{s}\b");
            if (used && Excluded.ContainsKey(s)) problems.Add($"{s}: used, remove it from the exclusion list");
            if (!used && !Excluded.ContainsKey(s)) problems.Add($"{s}: imported but never used, and not excluded");
        }
        foreach (string name in imports.Keys.Except(symbols)) problems.Add($"{name}: imported but not exported by the library");
        foreach (string name in Excluded.Keys.Except(symbols)) problems.Add($"{name}: excluded but not exported");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(Excluded.Count <= 15, "the exclusion list must stay short");
    }

    private static readonly Dictionary<string, Type> Owned = new()
    {
        ["ik_client"] = typeof(ClientHandle), ["ik_error"] = typeof(ErrorHandle), ["ik_pager"] = typeof(PagerHandle),
        ["ik_page"] = typeof(PageHandle), ["ik_op"] = typeof(OpHandle), ["ik_cancel_token"] = typeof(CancelTokenHandle),
        ["ik_openai_invite"] = typeof(OpenAIInviteHandle), ["ik_twilio_invite"] = typeof(TwilioInviteHandle),
        ["ik_twilio_user"] = typeof(TwilioUserHandle), ["ik_fastly_invitation"] = typeof(FastlyInvitationHandle),
        ["ik_deletion"] = typeof(DeletionHandle),
    };

    internal static readonly Dictionary<string, Type> Structs = new()
    {
        ["ik_buf"] = typeof(IkBuf), ["ik_log_record"] = typeof(IkLogRecord), ["ik_retry_info"] = typeof(IkRetryInfo),
        ["ik_client_options"] = typeof(IkClientOptions), ["ik_call_options"] = typeof(IkCallOptions),
        ["ik_list_options"] = typeof(IkListOptions), ["ik_openai_project_ref"] = typeof(IkOpenAIProjectRef),
        ["ik_openai_invite_create_params"] = typeof(IkOpenAIInviteCreateParams),
        ["ik_twilio_user_params"] = typeof(IkTwilioUserParams), ["ik_fastly_service_grant"] = typeof(IkFastlyServiceGrant),
        ["ik_fastly_invitation_create_params"] = typeof(IkFastlyInvitationCreateParams),
    };

    /// <summary>Whether a C# parameter or return type is a faithful declaration of a C type.</summary>
    private static bool Matches(string c, Type t)
    {
        c = c.Trim();
        switch (c)
        {
            case "void": return t == typeof(void);
            case "ik_status": case "int32_t": case "ik_optbool": return t == typeof(int);
            case "uint32_t": return t == typeof(uint);
            case "int64_t": return t == typeof(long);
            case "size_t": return t == typeof(nuint);
            case "void*": return t == typeof(nint);
            case "ik_op_cb": return t == typeof(nint) || t.IsFunctionPointer;
            case "const char*": return t == typeof(string) || t == typeof(nint);
            case "const char**": case "const char* const*": case "const uint8_t**": return t == typeof(nint*) || t == typeof(byte**);
            case "size_t*": return t == typeof(nuint*);
            case "int64_t*": return t == typeof(long*);
            case "int32_t*": return t == typeof(int*);
        }
        string baseName = c.Replace("const ", "").TrimEnd('*');
        int stars = c.Count(ch => ch == '*');
        if (Structs.TryGetValue(baseName, out Type? st)) return stars == 1 && t.IsPointer && t.GetElementType() == st;
        if (Owned.TryGetValue(baseName, out Type? ht))
            return stars == 2 ? t.IsByRef && t.GetElementType() == ht : t == typeof(nint) || t == ht;
        if (baseName == "ik_response") return stars == 1 && t == typeof(nint);
        return false;
    }

    [Fact]
    public void EveryImportMatchesItsCSignature()
    {
        var imports = Imports();
        var problems = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(Env.SourceRoot, "tests", "abi", "functions.txt")))
        {
            if (line.Trim().Length == 0 || line.StartsWith('#')) continue;
            string[] parts = line.Split('\t');
            string name = parts[0];
            string[] cParams = parts[2].Trim() == "void" ? Array.Empty<string>() : parts[2].Split(", ");
            if (!imports.TryGetValue(name, out MethodInfo? m)) { problems.Add($"{name}: missing"); continue; }
            ParameterInfo[] ps = m.GetParameters();
            if (!Matches(parts[1], m.ReturnType)) problems.Add($"{name}: returns {m.ReturnType}, C {parts[1]}");
            if (ps.Length != cParams.Length) { problems.Add($"{name}: {ps.Length} parameters, C has {cParams.Length}"); continue; }
            for (int i = 0; i < ps.Length; i++)
            {
                Type pt = ps[i].ParameterType;
                if (pt == typeof(nint) && cParams[i] == "ik_op_cb") continue;
                if (!Matches(cParams[i], pt.IsFunctionPointer ? pt : pt)) problems.Add($"{name}: parameter {i} is {pt}, C {cParams[i]}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void StructLayoutsMatchTheLayoutPrinter()
    {
        var psi = new ProcessStartInfo(Env.LayoutPrinterPath) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var problems = new List<string>();
        var seenFields = new HashSet<string>();
        int structs = 0, fields = 0;
        foreach (string line in output.Split('\n'))
        {
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 6 && w[0] == "struct")
            {
                structs++;
                if (!Structs.TryGetValue(w[1], out Type? t)) { problems.Add($"struct {w[1]}: no C# declaration"); continue; }
                int size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
                if (size != int.Parse(w[3])) problems.Add($"struct {w[1]}: size {size}, C {w[3]}");
            }
            else if (w.Length == 6 && w[0] == "field")
            {
                fields++;
                string[] sf = w[1].Split('.');
                if (!Structs.TryGetValue(sf[0], out Type? t)) continue;
                FieldInfo? f = t.GetField(sf[1], BindingFlags.Public | BindingFlags.Instance);
                if (f is null) { problems.Add($"{w[1]}: no field"); continue; }
                seenFields.Add(w[1]);
                int offset = (int)Marshal.OffsetOf(t, sf[1]);
                int fsize = f.FieldType.IsPointer || f.FieldType.IsFunctionPointer || f.FieldType == typeof(nint) || f.FieldType == typeof(nuint)
                    ? IntPtr.Size : Marshal.SizeOf(f.FieldType);
                if (offset != int.Parse(w[3])) problems.Add($"{w[1]}: offset {offset}, C {w[3]}");
                if (fsize != int.Parse(w[5])) problems.Add($"{w[1]}: size {fsize}, C {w[5]}");
            }
        }
        foreach (var (cname, t) in Structs)
            foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Instance))
                if (!seenFields.Contains($"{cname}.{f.Name}")) problems.Add($"{cname}.{f.Name}: C# field the C struct does not have");
        Assert.Equal(Structs.Count, structs);
        Assert.True(fields > 80);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
