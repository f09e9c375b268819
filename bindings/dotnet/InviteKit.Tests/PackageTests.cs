using System.Diagnostics;
using Xunit.Abstractions;

namespace InviteKit.Tests;

/// <summary>The NuGet package: restored from a local folder feed into a fresh console app, which runs one call
/// against the emulator with no LD_LIBRARY_PATH and no INVITEKIT_NATIVE_LIBRARY (libinvitekit.so comes from the
/// package's runtimes/linux-x64/native/).</summary>
public class PackageTests(ITestOutputHelper output)
{
    private static (int code, string text) Run(string dir, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("LD_LIBRARY_PATH");
        psi.Environment.Remove("INVITEKIT_NATIVE_LIBRARY");
        psi.Environment.Remove("INVITEKIT_DOTNET_ARTIFACTS"); // the app builds in its own folder
        psi.Environment.Remove("MSBuildExtensionsPath");
        psi.Environment.Remove("MSBuildSDKsPath");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string text = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(true); return (-1, "timeout\n" + text); }
        return (p.ExitCode, text + err.Result);
    }

    [Fact]
    public void PackageWorksInAFreshConsoleApp()
    {
        string work = Directory.CreateTempSubdirectory("invitekit-pkg-").FullName;
        try
        {
            string feed = Environment.GetEnvironmentVariable("INVITEKIT_PACKAGE_DIR") is { Length: > 0 } d ? d : Path.Combine(work, "feed");
            if (!Directory.EnumerateFiles(feed is { } f && Directory.Exists(f) ? f : work, "InviteKit.*.nupkg").Any())
            {
                var (pc, pt) = Run(Path.Combine(Env.SourceRoot, "bindings", "dotnet"), "dotnet", "pack", "InviteKit/InviteKit.csproj",
                    "-c", "Release", "-o", feed, $"-p:InviteKitNativeLibrary={Path.Combine(Env.Build, "src", "libinvitekit.so")}",
                    $"-p:BaseOutputPath={work}/pack-bin/", $"-p:BaseIntermediateOutputPath={work}/pack-obj/");
                Assert.True(pc == 0, pt);
            }
            string nupkg = Directory.EnumerateFiles(feed, "InviteKit.*.nupkg").Single();
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
                Assert.Contains(zip.Entries, e => e.FullName == "runtimes/linux-x64/native/libinvitekit.so");
            string version = Path.GetFileNameWithoutExtension(nupkg)["InviteKit.".Length..];
            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable>
                    <RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>false</SelfContained></PropertyGroup>
                  <ItemGroup><PackageReference Include="InviteKit" Version="{version}" /></ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using InviteKit;
                var o = new InviteKitClientOptions { IgnoreEnvironment = true, TwilioBaseUrl = args[0],
                    TwilioAccountSid = "AC00000000000000000000000000000000", TwilioAuthToken = "emulator-twilio-token" };
                using var c = new InviteKitClient(o);
                var u = await c.FetchTwilioUserAsync("IS00000000000000000000000000000000", "user-0001");
                Console.WriteLine($"fetched {u.Identity} abi {InviteKitLibrary.AbiVersion}");
                """);
            var sources = new List<string> { "--source", feed };
            if (Directory.Exists("/opt/nuget/packages")) sources.AddRange(new[] { "--source", "/opt/nuget/packages" });
            string cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            if (Directory.Exists(cache)) sources.AddRange(new[] { "--source", cache });
            sources.AddRange(new[] { "--source", "https://api.nuget.org/v3/index.json" });
            var (rc, rt) = Run(app, "dotnet", new[] { "restore", "--packages", Path.Combine(work, "packages") }.Concat(sources).ToArray());
            Assert.True(rc == 0, rt);
            var (bc, bt) = Run(app, "dotnet", "build", "--no-restore", "-c", "Release", "-o", Path.Combine(work, "out"));
            Assert.True(bc == 0, bt);
            Assert.True(File.Exists(Path.Combine(work, "out", "libinvitekit.so")) ||
                        File.Exists(Path.Combine(work, "out", "runtimes", "linux-x64", "native", "libinvitekit.so")),
                "libinvitekit.so was not copied from the package");
            using var emu = new Emulator(3);
            var (xc, xt) = Run(Path.Combine(work, "out"), Path.Combine(work, "out", "app"), emu.Url);
            output.WriteLine(xt);
            Assert.True(xc == 0, xt);
            Assert.Contains("fetched user-0001 abi 0.2", xt);
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }
}
