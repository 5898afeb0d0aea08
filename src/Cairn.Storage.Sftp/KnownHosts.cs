using System.Security.Cryptography;
using System.Text;

namespace Cairn.Storage.Sftp;

/// <summary>
/// OpenSSH's known_hosts files: plain and hashed (<c>|1|salt|hash</c>) host names, <c>[host]:port</c> entries,
/// <c>*</c>/<c>?</c> patterns and negations, and <c>@revoked</c> keys. <c>@cert-authority</c> lines are ignored:
/// host certificates are not accepted.
/// </summary>
public sealed class KnownHosts
{
    private readonly List<Entry> _entries = [];

    private KnownHosts()
    {
    }

    /// <summary>Reads the files that exist among <paramref name="files"/>.</summary>
    public static KnownHosts Load(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var known = new KnownHosts();
        foreach (var file in files)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StorageException(StorageErrorKind.Permanent, $"cannot read known hosts file {file}: {e.Message}", e);
            }
            for (var i = 0; i < lines.Length; i++)
            {
                if (Entry.Parse(lines[i], file, i + 1) is { } entry)
                    known._entries.Add(entry);
            }
        }
        return known;
    }

    /// <summary>The name known_hosts uses for a host and port: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public static string NameOf(string host, int port) => port == SftpLocation.DefaultPort ? host : $"[{host}]:{port}";

    /// <summary>Checks a server's host key; returns null when it is known, else why it must not be trusted.</summary>
    /// <param name="host">The host as the user named it.</param>
    /// <param name="port">The port connected to.</param>
    /// <param name="keyBlob">The server's public key in SSH wire format.</param>
    /// <param name="fingerprint">How to show the key to the user (type and SHA256 fingerprint).</param>
    public string? Verify(string host, int port, byte[] keyBlob, string fingerprint)
    {
        var name = NameOf(host, port);
        var forHost = _entries.Where(e => e.Matches(name)).ToList();
        if (forHost.FirstOrDefault(e => e.Revoked && e.Key.AsSpan().SequenceEqual(keyBlob)) is { } revoked)
            return $"the host key of {name} ({fingerprint}) is marked revoked in {revoked.File}:{revoked.Line}";
        if (forHost.Any(e => !e.Revoked && e.Key.AsSpan().SequenceEqual(keyBlob)))
            return null;
        // Only a different key of the same type is a changed key; a server can hold keys of several types.
        var type = KeyType(keyBlob);
        if (forHost.FirstOrDefault(e => !e.Revoked && KeyType(e.Key) == type) is { } other)
            return $"the host key of {name} ({fingerprint}) does not match the one in {other.File}:{other.Line}: someone may be "
                + "intercepting the connection, or the server's key was changed; check it before you change that line";
        if (forHost.Any(e => !e.Revoked))
            return $"{name} offered its {type} key ({fingerprint}), but the known hosts files hold only "
                + $"{string.Join(", ", forHost.Where(e => !e.Revoked).Select(e => KeyType(e.Key)).Distinct())} keys for it; check the {type} key, "
                + $"then add it (e.g. ssh-keyscan -t {type}{(port == SftpLocation.DefaultPort ? "" : $" -p {port}")} {host} >> ~/.ssh/known_hosts)";
        return $"the host key of {name} ({fingerprint}) is not known; check it, then add it to ~/.ssh/known_hosts "
            + $"(e.g. ssh-keyscan{(port == SftpLocation.DefaultPort ? "" : $" -p {port}")} {host} >> ~/.ssh/known_hosts)";
    }

    /// <summary>The key types on record for a host, e.g. <c>ssh-ed25519</c>: the client asks for these first.</summary>
    public IReadOnlyList<string> KeyTypesFor(string host, int port)
    {
        var name = NameOf(host, port);
        return [.. _entries.Where(e => !e.Revoked && e.Matches(name)).Select(e => KeyType(e.Key)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The type named at the start of a public key blob, or "" for a malformed one.</summary>
    private static string KeyType(byte[] blob)
    {
        if (blob.Length < 4)
            return "";
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(blob);
        return length > 0 && length <= blob.Length - 4 ? Encoding.ASCII.GetString(blob, 4, length) : "";
    }

    private sealed record Entry(string[] Patterns, byte[] Key, bool Revoked, string File, int Line)
    {
        public static Entry? Parse(string line, string file, int number)
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
                return null;
            var revoked = false;
            if (fields[0].StartsWith('@'))
            {
                if (fields[0] != "@revoked")
                    return null; // @cert-authority: host certificates are not supported
                revoked = true;
                fields = fields[1..];
            }
            if (fields.Length < 3)
                return null;
            try
            {
                return new Entry(fields[0].Split(','), Convert.FromBase64String(fields[2]), revoked, file, number);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        public bool Matches(string name)
        {
            var matched = false;
            foreach (var pattern in Patterns)
            {
                if (pattern.StartsWith("|1|", StringComparison.Ordinal))
                    matched |= HashedMatches(pattern, name.ToLowerInvariant()); // OpenSSH hashes names in lower case
                else if (pattern.StartsWith('!'))
                {
                    if (Wildcard(pattern[1..], name))
                        return false;
                }
                else
                    matched |= Wildcard(pattern, name);
            }
            return matched;
        }

        private static bool HashedMatches(string pattern, string name)
        {
            var parts = pattern.Split('|');
            if (parts.Length != 4)
                return false;
            try
            {
                var salt = Convert.FromBase64String(parts[2]);
                var hash = Convert.FromBase64String(parts[3]);
                return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name)), hash);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static bool Wildcard(string pattern, string name)
        {
            if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
                return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
            var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
            return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        }
    }
}
