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

    private static uint? LookupId(string name, bool user)
    {
        // struct passwd: char* pw_name, char* pw_passwd, uid_t pw_uid; struct group: char* gr_name, char* gr_passwd, gid_t gr_gid.
        var record = stackalloc byte[64];
        var utf8 = new byte[System.Text.Encoding.UTF8.GetByteCount(name) + 1];
        System.Text.Encoding.UTF8.GetBytes(name, utf8);
        var size = 4096;
        while (size <= 1 << 20)
        {
            var buffer = new byte[size];
            nint result = 0;
            int rc;
            fixed (byte* n = utf8)
            fixed (byte* b = buffer)
                rc = user ? GetPwNamR(n, record, b, size, &result) : GetGrNamR(n, record, b, size, &result);
            if (rc == 34) // ERANGE: the buffer was too small
            {
                size *= 4;
                continue;
            }
            if (rc != 0 || result == 0)
                return null;
            return *(uint*)(record + 2 * sizeof(nint));
        }
        return null;
    }

    private static string? Lookup(uint id, bool user)
    {
        // struct passwd and struct group both start with a char* name.
        var record = stackalloc byte[64];
        var size = 4096;
        while (size <= 1 << 20)
        {
            var buffer = new byte[size];
            nint result = 0;
            int rc;
            fixed (byte* b = buffer)
                rc = user ? GetPwUidR(id, record, b, size, &result) : GetGrGidR(id, record, b, size, &result);
            if (rc == 34) // ERANGE: the buffer was too small
            {
                size *= 4;
                continue;
            }
            if (rc != 0 || result == 0)
                return null;
            return Marshal.PtrToStringUTF8(*(nint*)record);
        }
        return null;
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
