using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cairn.Storage;

namespace Cairn.Server;

/// <summary>
/// The server's accounts, in a JSON file (mode 0600) that <c>cairn serve user add|remove|list</c> manages. The
/// server reads it at start; a password that was verified once is remembered (as a keyed hash) so that only the
/// first request of a client pays for PBKDF2.
/// </summary>
public sealed class UserDatabase
{
    private readonly Dictionary<string, ServerUser> _users;
    private readonly ConcurrentDictionary<string, byte> _verified = new();
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly Lazy<string> _decoy = new(() => Server.PasswordHash.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    private UserDatabase(string path, IEnumerable<ServerUser> users)
    {
        Path = path;
        _users = users.ToDictionary(u => u.Name, StringComparer.Ordinal);
    }

    /// <summary>The users file.</summary>
    public string Path { get; }

    /// <summary>Every account, by name.</summary>
    public IReadOnlyList<ServerUser> Users => [.. _users.Values.OrderBy(u => u.Name, StringComparer.Ordinal)];

    /// <summary>Reads the users file; a file that does not exist holds no users.</summary>
    public static UserDatabase Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            return new UserDatabase(path, []);
        try
        {
            var users = JsonSerializer.Deserialize(File.ReadAllBytes(path), ServerJsonContext.Default.ListServerUser) ?? [];
            return new UserDatabase(path, users);
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"users file {path} is damaged: {e.Message}", e);
        }
    }

    /// <summary>Adds or replaces an account and saves the file.</summary>
    public void Put(ServerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Name.Length == 0 || !RepositoryPath.IsValidSegment(user.Name))
            throw new ArgumentException($"invalid user name '{user.Name}': use letters, digits, '-', '_' and '.'", nameof(user));
        _users[user.Name] = user;
        Save();
    }

    /// <summary>Removes an account and saves the file; false when there was none of that name.</summary>
    public bool Remove(string name)
    {
        if (!_users.Remove(name))
            return false;
        Save();
        return true;
    }

    /// <summary>The account whose name and password these are, or null.</summary>
    public ServerUser? Authenticate(string name, string password)
    {
        if (!_users.TryGetValue(name, out var user))
        {
            // As slow as a wrong password of a real user, so that timing does not tell which names exist.
            Server.PasswordHash.Verify(password, _decoy.Value);
            return null;
        }
        var key = Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(name + "\0" + password + "\0" + user.PasswordHash)));
        if (_verified.ContainsKey(key))
            return user;
        if (!PasswordHash.Verify(password, user.PasswordHash))
            return null;
        _verified.TryAdd(key, 0);
        return user;
    }

    private void Save()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, ".tmp-users-" + Guid.NewGuid().ToString("N"));
        ServerCertificate.WritePrivate(temp, JsonSerializer.SerializeToUtf8Bytes(Users.ToList(), ServerJsonContext.Default.ListServerUser));
        File.Move(temp, Path, overwrite: true);
    }
}
