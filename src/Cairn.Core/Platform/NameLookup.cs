using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cairn.Core.Platform;

/// <summary>User and group names by id, and ids by name, through the C library (so NSS sources such as LDAP count), cached.</summary>
internal static unsafe partial class NameLookup
{
    private static readonly ConcurrentDictionary<uint, string?> Users = new();
    private static readonly ConcurrentDictionary<uint, string?> Groups = new();
    private static readonly ConcurrentDictionary<string, uint?> UserIds = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, uint?> GroupIds = new(StringComparer.Ordinal);

    public static string? User(uint uid) => Users.GetOrAdd(uid, static id => Lookup(id, user: true));

    public static string? Group(uint gid) => Groups.GetOrAdd(gid, static id => Lookup(id, user: false));

    public static uint? UserId(string name) => UserIds.GetOrAdd(name, static n => LookupId(n, user: true));

    public static uint? GroupId(string name) => GroupIds.GetOrAdd(name, static n => LookupId(n, user: false));

    // struct passwd: char* pw_name, char* pw_passwd, uid_t pw_uid; struct group: char* gr_name, char* gr_passwd, gid_t gr_gid.
    private static uint? LookupId(string name, bool user)
    {
        var utf8 = new byte[System.Text.Encoding.UTF8.GetByteCount(name) + 1];
        System.Text.Encoding.UTF8.GetBytes(name, utf8);
        return Query<uint?>(user, 0, utf8, static record => *(uint*)(record + 2 * sizeof(nint)));
    }

    private static string? Lookup(uint id, bool user) =>
        Query(user, id, null, static record => Marshal.PtrToStringUTF8(*(nint*)record));

    /// <summary>
    /// Calls getpwuid_r/getgrgid_r (<paramref name="name"/> null) or getpwnam_r/getgrnam_r with a buffer that grows
    /// while the C library says it is too small, and reads the record while the buffer it points into is pinned.
    /// </summary>
    private static T? Query<T>(bool user, uint id, byte[]? name, Func<nint, T> read)
    {
        var record = stackalloc byte[64];
        for (var size = 4096; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            nint result = 0;
            fixed (byte* n = name)
            fixed (byte* b = buffer)
            {
                var rc = (user, name is null) switch
                {
                    (true, true) => GetPwUidR(id, record, b, size, &result),
                    (false, true) => GetGrGidR(id, record, b, size, &result),
                    (true, false) => GetPwNamR(n, record, b, size, &result),
                    (false, false) => GetGrNamR(n, record, b, size, &result),
                };
                if (rc == 34) // ERANGE: the buffer was too small
                    continue;
                return rc != 0 || result == 0 ? default : read((nint)record);
            }
        }
        return default;
    }

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int GetPwUidR(uint uid, byte* pwd, byte* buf, nint size, nint* result);

    [LibraryImport("libc", EntryPoint = "getpwnam_r")]
    private static partial int GetPwNamR(byte* name, byte* pwd, byte* buf, nint size, nint* result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r")]
    private static partial int GetGrNamR(byte* name, byte* grp, byte* buf, nint size, nint* result);

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    private static partial int GetGrGidR(uint gid, byte* grp, byte* buf, nint size, nint* result);
}
