// The .NET side of bench/bindings.py (docs/BENCHMARKS.md, "Bindings"): InviteKit against the Twilio .NET SDK
// (NuGet `Twilio`) on the same invitekit-emulator, measured like bench/ik_bench.c. One job per process, one JSON
// line on stdout.
//
//   InviteKit.Bench fetch VARIANT BASE_URL USER_ID WARMUP N
//       WARMUP untimed fetches of one Twilio Chat v2 user (JIT, connection), then N timed ones in sequence.
//   InviteKit.Bench list VARIANT BASE_URL PAGE_SIZE MAX_ITEMS WARMUP_ITEMS
//       An untimed listing of WARMUP_ITEMS users with a throw-away client (JIT), then the timed listing of
//       MAX_ITEMS users (0 = all): client creation, the pager and every item, like `ik_bench list twilio`.
//
// VARIANT: ik_async (InviteKit, FetchTwilioUserAsync / await foreach over the pager, default options: continuations
// on the I/O thread), ik_async_pool (the same with InviteKitClientOptions.RunContinuationsOnIoThread = false:
// continuations queued to the thread pool), ik_async_no_ahead (list only: ik_async with ListOptions.ReadAhead = false,
// one page requested at a time, as before 0.2.5), ik_sync (InviteKit, blocking
// FetchTwilioUser / Pager.NextItem), twilio_async (UserResource.FetchAsync / ReadAsync), twilio_sync
// (UserResource.Fetch / Read). Twilio's SDK has no base-URL option: a DelegatingHandler sends its requests for
// https://chat.twilio.com to the emulator (the npm bench sets `chat.baseUrl` for the same reason).
//
// cpu_us is getrusage(RUSAGE_SELF) of the whole process (every thread: the runtime's, the GC's, the library's
// I/O thread) over the timed part; maxrss_kb is VmHWM of /proc/self/status; jit_methods is how many methods the JIT
// compiled during the timed part (System.Runtime.JitInfo: tiered compilation's re-compilations, whose CPU counts).
// INVITEKIT_BENCH_THREADS=1 also prints the CPU of the timed part per thread name on stderr.
using System.Diagnostics;
using System.Runtime.InteropServices;
using InviteKit;
using Twilio.Clients;
using Twilio.Http;
using Twilio.Rest.Chat.V2.Service;

internal static class Program
{
    private const string Sid = "AC00000000000000000000000000000000";
    private const string Token = "emulator-twilio-token";
    private const string Service = "IS00000000000000000000000000000000";
    private static long s_sink;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out Rusage usage);

    private static long CpuUs()
    {
        if (GetRusage(0, out Rusage ru) != 0) return -1;
        return (ru.UtimeSec + ru.StimeSec) * 1_000_000 + ru.UtimeUsec + ru.StimeUsec;
    }

    private static long MaxRssKb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Replace("kB", "").Trim());
        return -1;
    }

    /// <summary>CPU per thread name (utime+stime from /proc/self/task/*/stat, µs), for INVITEKIT_BENCH_THREADS=1.</summary>
    private static Dictionary<string, long> ThreadCpuUs()
    {
        var d = new Dictionary<string, long>();
        foreach (string dir in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                string name = stat[(stat.IndexOf('(') + 1)..close];
                string[] f = stat[(close + 2)..].Split(' ');
                long ticks = long.Parse(f[11]) + long.Parse(f[12]); // utime, stime (fields 14, 15)
                d[name] = d.GetValueOrDefault(name) + ticks * 10_000;
            }
            catch (IOException)
            {
            }
        }
        return d;
    }

    private static void PrintThreadCpu(Dictionary<string, long> before)
    {
        if (Environment.GetEnvironmentVariable("INVITEKIT_BENCH_THREADS") != "1") return;
        foreach (var (name, us) in ThreadCpuUs())
            if (us - before.GetValueOrDefault(name) > 0)
                Console.Error.WriteLine($"  thread {name,-20} {(us - before.GetValueOrDefault(name)) / 1000.0,10:F1} ms");
    }

    private static InviteKitClient NewInviteKit(string baseUrl, bool pool = false) => new(new InviteKitClientOptions
    {
        RunContinuationsOnIoThread = !pool,
        IgnoreEnvironment = true,
        IgnoreProxyEnvironment = true,
        TwilioAccountSid = Sid,
        TwilioAuthToken = Token,
        TwilioBaseUrl = baseUrl,
    });

    /// <summary>Sends the SDK's requests (https://chat.twilio.com/...) to the emulator, path and query kept.</summary>
    private sealed class ToEmulator(Uri target) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!)
            {
                Scheme = target.Scheme, Host = target.Host, Port = target.Port,
            }.Uri;
            return base.SendAsync(request, ct);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken ct)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!)
            {
                Scheme = target.Scheme, Host = target.Host, Port = target.Port,
            }.Uri;
            return base.Send(request, ct);
        }
    }

    private static TwilioRestClient NewTwilio(string baseUrl) =>
        new(Sid, Token, httpClient: new SystemNetHttpClient(new System.Net.Http.HttpClient(new ToEmulator(new Uri(baseUrl)))));

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 6 && args[0] == "fetch")
            return await Fetch(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]));
        if (args.Length == 6 && args[0] == "list")
            return await List(args[1], args[2], int.Parse(args[3]), long.Parse(args[4]), long.Parse(args[5]));
        Console.Error.WriteLine("usage: InviteKit.Bench fetch VARIANT BASE_URL USER_ID WARMUP N\n" +
                                "       InviteKit.Bench list VARIANT BASE_URL PAGE_SIZE MAX_ITEMS WARMUP_ITEMS");
        return 2;
    }

    private static async Task<int> Fetch(string variant, string baseUrl, string id, int warmup, int n)
    {
        Func<Task> one;
        IDisposable? owner = null;
        switch (variant)
        {
            case "ik_async":
            case "ik_async_pool":
            {
                var c = NewInviteKit(baseUrl, variant == "ik_async_pool");
                owner = c;
                one = async () => s_sink += (await c.FetchTwilioUserAsync(Service, id).ConfigureAwait(false)).Identity!.Length;
                break;
            }
            case "ik_sync":
            {
                var c = NewInviteKit(baseUrl);
                owner = c;
                one = () => { s_sink += c.FetchTwilioUser(Service, id).Identity!.Length; return Task.CompletedTask; };
                break;
            }
            case "twilio_async":
            {
                var c = NewTwilio(baseUrl);
                one = async () => s_sink += (await UserResource.FetchAsync(Service, id, c).ConfigureAwait(false)).Identity.Length;
                break;
            }
            case "twilio_sync":
            {
                var c = NewTwilio(baseUrl);
                one = () => { s_sink += UserResource.Fetch(Service, id, c).Identity.Length; return Task.CompletedTask; };
                break;
            }
            default:
                Console.Error.WriteLine($"unknown variant {variant}");
                return 2;
        }
        for (int i = 0; i < warmup; i++) await one().ConfigureAwait(false);
        var threads0 = ThreadCpuUs();
        long jit0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        var sw = Stopwatch.StartNew();
        long c0 = CpuUs();
        for (int i = 0; i < n; i++) await one().ConfigureAwait(false);
        long cpu = CpuUs() - c0;
        long wall = (long)sw.Elapsed.TotalMicroseconds;
        long jit = System.Runtime.JitInfo.GetCompiledMethodCount() - jit0;
        PrintThreadCpu(threads0);
        Console.WriteLine($"{{\"requests\":{n},\"wall_us\":{wall},\"cpu_us\":{cpu},\"maxrss_kb\":{MaxRssKb()},\"jit_methods\":{jit},\"sink\":{s_sink}}}");
        owner?.Dispose();
        return 0;
    }

    private static async Task<long> ListOnce(string variant, string baseUrl, int pageSize, long max)
    {
        long items = 0;
        switch (variant)
        {
            case "ik_async":
            case "ik_async_pool":
            case "ik_async_no_ahead":
            {
                using var c = NewInviteKit(baseUrl, variant == "ik_async_pool");
                using var pager = c.TwilioUsers(Service, new ListOptions
                {
                    PageSize = pageSize, MaxItems = max > 0 ? max : null, ReadAhead = variant != "ik_async_no_ahead",
                });
                await foreach (TwilioUser u in pager.ConfigureAwait(false))
                {
                    s_sink += u.Sid!.Length + u.Identity!.Length;
                    items++;
                }
                break;
            }
            case "ik_sync":
            {
                using var c = NewInviteKit(baseUrl);
                using var pager = c.TwilioUsers(Service, new ListOptions { PageSize = pageSize, MaxItems = max > 0 ? max : null });
                while (pager.NextItem() is { } u)
                {
                    s_sink += u.Sid!.Length + u.Identity!.Length;
                    items++;
                }
                break;
            }
            case "twilio_async":
            {
                var c = NewTwilio(baseUrl);
                var set = await UserResource.ReadAsync(Service, pageSize: pageSize, limit: max > 0 ? max : null, client: c)
                    .ConfigureAwait(false);
                foreach (UserResource u in set)
                {
                    s_sink += u.Sid.Length + u.Identity.Length;
                    items++;
                }
                break;
            }
            case "twilio_sync":
            {
                var c = NewTwilio(baseUrl);
                foreach (UserResource u in UserResource.Read(Service, pageSize: pageSize, limit: max > 0 ? max : null, client: c))
                {
                    s_sink += u.Sid.Length + u.Identity.Length;
                    items++;
                }
                break;
            }
            default:
                throw new ArgumentException($"unknown variant {variant}");
        }
        return items;
    }

    private static async Task<int> List(string variant, string baseUrl, int pageSize, long max, long warmupItems)
    {
        if (warmupItems > 0) await ListOnce(variant, baseUrl, pageSize, warmupItems).ConfigureAwait(false);
        var threads0 = ThreadCpuUs();
        long jit0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        var sw = Stopwatch.StartNew();
        long c0 = CpuUs();
        long items = await ListOnce(variant, baseUrl, pageSize, max).ConfigureAwait(false);
        long cpu = CpuUs() - c0;
        long wall = (long)sw.Elapsed.TotalMicroseconds;
        long jit = System.Runtime.JitInfo.GetCompiledMethodCount() - jit0;
        PrintThreadCpu(threads0);
        Console.WriteLine($"{{\"items\":{items},\"wall_us\":{wall},\"cpu_us\":{cpu},\"maxrss_kb\":{MaxRssKb()},\"jit_methods\":{jit},\"sink\":{s_sink}}}");
        return 0;
    }
}
