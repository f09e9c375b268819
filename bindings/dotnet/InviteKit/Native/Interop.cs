using System.Runtime.InteropServices;
using System.Text;

namespace InviteKit.Native;

/// <summary>Small helpers for crossing the ABI.</summary>
internal static unsafe class Interop
{
    internal const uint ClientOptionsVersion = 2;
    internal const int CompletionsIoThread = 0; // IK_COMPLETIONS_IO_THREAD
    internal const int CompletionsIoThreadRelay = 2; // IK_COMPLETIONS_IO_THREAD_RELAY (0.2.4)
    internal const uint CallOptionsVersion = 1;
    internal const uint ListOptionsVersion = 1;

    /// <summary>A borrowed NUL-terminated UTF-8 string, copied; null stays null.</summary>
    internal static string? Str(nint p) => p == 0 ? null : Marshal.PtrToStringUTF8(p);

    internal static string? Str(byte* p) => p == null ? null : Marshal.PtrToStringUTF8((nint)p);

    /// <summary>Copies borrowed bytes; null when absent.</summary>
    internal static byte[]? Bytes(int present, nint data, nuint len)
    {
        // Absent unless the accessor says present AND gives a pointer (as the C scenario runner reads it: after a
        // connection reset ik_error_body answers 1 with a NULL pointer).
        if (present == 0 || data == 0) return null;
        if (len == 0) return Array.Empty<byte>();
        return new ReadOnlySpan<byte>((void*)data, checked((int)len)).ToArray();
    }

    /// <summary>An `int32_t f(obj, int64_t *out)` accessor's result.</summary>
    internal static long? OptLong(int present, long value) => present != 0 ? value : null;

    internal static bool? OptBool(int v) => v switch { 1 => true, 2 => false, _ => null };

    internal static int FromOptBool(bool? v) => v switch { true => 1, false => 2, null => 0 };

    internal static DateTimeOffset? Unix(int present, long seconds) =>
        present != 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

/// <summary>Owns the UTF-8 copies of the strings placed in one call's input structs; frees them on dispose.
/// The library copies every input before the call returns, so the arena lives for the call only.</summary>
internal sealed unsafe class Utf8Arena : IDisposable
{
    private readonly List<nint> _blocks = new();

    internal byte* Str(string? s)
    {
        if (s is null) return null;
        int n = Encoding.UTF8.GetByteCount(s);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        _blocks.Add((nint)p);
        fixed (char* c = s) Encoding.UTF8.GetBytes(c, s.Length, p, n);
        p[n] = 0;
        return p;
    }

    internal T* Array<T>(int count) where T : unmanaged
    {
        if (count == 0) return null;
        T* p = (T*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(T));
        _blocks.Add((nint)p);
        return p;
    }

    internal byte** StrArray(IReadOnlyList<string>? items)
    {
        if (items is null || items.Count == 0) return null;
        byte** arr = Array<nint>(items.Count) is var a ? (byte**)a : null;
        for (int i = 0; i < items.Count; i++) arr[i] = Str(items[i]);
        return arr;
    }

    public void Dispose()
    {
        foreach (nint p in _blocks) NativeMemory.Free((void*)p);
        _blocks.Clear();
    }
}
