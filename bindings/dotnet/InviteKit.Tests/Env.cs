using System.Diagnostics;
using System.Reflection;

namespace InviteKit.Tests;

/// <summary>Where the source tree, the emulator and the layout printer are (run-tests.sh sets the variables;
/// otherwise the in-tree build/ next to the sources).</summary>
internal static class Env
{
    internal static string SourceRoot =>
        Environment.GetEnvironmentVariable("INVITEKIT_SOURCE_ROOT") is { Length: > 0 } s ? s :
        typeof(Env).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "SourceRoot").Value!;

    internal static string Build =>
        Environment.GetEnvironmentVariable("BUILD") is { Length: > 0 } b ? Path.GetFullPath(b) : Path.Combine(SourceRoot, "build");

    internal static string EmulatorPath =>
        Environment.GetEnvironmentVariable("INVITEKIT_EMULATOR") is { Length: > 0 } e ? e :
        Path.Combine(Build, "src", "emulator", "invitekit-emulator");

    internal static string LayoutPrinterPath =>
        Environment.GetEnvironmentVariable("INVITEKIT_LAYOUT_PRINTER") is { Length: > 0 } e ? e :
        Path.Combine(Build, "tests", "abi", "abi_layout_printer");

    /// <summary>Waits (at most 5 s) until the client has no operation in flight and returns the count then. Code
    /// right after an <c>await</c> runs inside the completion of the operation it awaited, which counts until that
    /// completion returns.</summary>
    internal static async Task<long> SettledInFlight(InviteKitClient c)
    {
        var sw = Stopwatch.StartNew();
        await Task.Yield(); // off the I/O thread, so that its completion can return
        while (c.OperationsInFlight != 0 && sw.ElapsedMilliseconds < 5000) await Task.Delay(5);
        return c.OperationsInFlight;
    }
}

/// <summary>One invitekit-emulator on 127.0.0.1 with --port 0, stopped by its own PID.</summary>
internal sealed class Emulator : IDisposable
{
    private readonly Process _process;
    internal string Url { get; }

    internal Emulator(int seed = 0, params string[] extra)
    {
        var psi = new ProcessStartInfo(Env.EmulatorPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--port", "0", "--quiet", "--seed", seed.ToString() }.Concat(extra)) psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + Env.EmulatorPath);
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(10)) || line.Result is null)
        {
            Dispose();
            throw new InvalidOperationException("the emulator did not print its URL within 10 s");
        }
        int at = line.Result.IndexOf("http://", StringComparison.Ordinal);
        if (at < 0) { Dispose(); throw new InvalidOperationException("unexpected first line: " + line.Result); }
        Url = line.Result[at..].Trim();
    }

    internal InviteKitClientOptions Options(int maxRetries = 0) => new()
    {
        IgnoreEnvironment = true,
        IgnoreProxyEnvironment = true,
        TwilioBaseUrl = Url,
        OpenAIBaseUrl = Url + "/v1",
        FastlyBaseUrl = Url,
        TwilioAccountSid = "AC00000000000000000000000000000000",
        TwilioAuthToken = "emulator-twilio-token",
        OpenAIAdminKey = "sk-admin-emulator",
        FastlyApiToken = "emulator-fastly-token",
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(10),
        Jitter = Jitter.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    internal InviteKitClient Client(int maxRetries = 0) => new(Options(maxRetries));

    // Connection: close, so that no keep-alive connection delays the emulator's shutdown.
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { ConnectionClose = true } };

    internal async Task AddFaultsAsync(IEnumerable<string> specs)
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["specs"] = new System.Text.Json.Nodes.JsonArray(specs.Select(s => (System.Text.Json.Nodes.JsonNode?)s).ToArray()) };
        using var resp = await s_http.PostAsync(Url + "/__emulator/faults",
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        if ((int)resp.StatusCode != 201)
            throw new InvalidOperationException($"fault install answered {(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}");
    }

    internal async Task ClearFaultsAsync()
    {
        using var resp = await s_http.DeleteAsync(Url + "/__emulator/faults");
    }

    /// <summary>One entry of the emulator's request log (GET /__emulator/requests).</summary>
    internal sealed record Request(string Method, string Path, int Status);

    /// <summary>The requests the emulator logged, oldest first, without its own /__emulator ones.</summary>
    internal async Task<List<Request>> RequestsAsync()
    {
        var log = System.Text.Json.Nodes.JsonNode.Parse(await s_http.GetStringAsync(Url + "/__emulator/requests"))!.AsArray();
        return log.Select(r => new Request((string)r!["method"]!, (string)r["target"]!, (int?)r["status"] ?? 0))
            .Where(r => !r.Path.StartsWith("/__emulator", StringComparison.Ordinal)).ToList();
    }

    internal async Task ClearRequestsAsync()
    {
        using var resp = await s_http.DeleteAsync(Url + "/__emulator/requests");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var kill = Process.Start("kill", new[] { "-TERM", _process.Id.ToString() })) kill?.WaitForExit(5000);
                if (!_process.WaitForExit(10_000)) _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

/// <summary>One emulator shared by the tests of a class.</summary>
public sealed class EmulatorFixture : IDisposable
{
    internal Emulator Emulator { get; } = new(seed: 25);
    public void Dispose() => Emulator.Dispose();
}
