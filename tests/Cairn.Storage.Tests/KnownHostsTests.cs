using System.Security.Cryptography;
using System.Text;
using Cairn.Storage.Sftp;

namespace Cairn.Storage.Tests;

public sealed class KnownHostsTests : IDisposable
{
    private static readonly byte[] Key = [0, 0, 0, 11, .. "ssh-ed25519"u8, 1, 2, 3];
    private static readonly byte[] OtherKey = [0, 0, 0, 11, .. "ssh-ed25519"u8, 9, 9, 9];
    private readonly string _file = Path.Combine(Path.GetTempPath(), "cairn-known-hosts-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    private KnownHosts With(params string[] lines)
    {
        File.WriteAllLines(_file, lines);
        return KnownHosts.Load([_file, "/nonexistent/known_hosts"]);
    }

    private static string Line(string hosts, byte[] key) => $"{hosts} ssh-ed25519 {Convert.ToBase64String(key)} comment";

    [Fact]
    public void Verify_PlainNamesPortsAndPatterns()
    {
        var known = With(Line("backup.example.org,10.0.0.5", Key), Line("[nas]:2222", Key), Line("*.lan,!evil.lan", Key));

        Assert.Null(known.Verify("backup.example.org", 22, Key, "k"));
        Assert.Null(known.Verify("BACKUP.example.org", 22, Key, "k"));
        Assert.Null(known.Verify("10.0.0.5", 22, Key, "k"));
        Assert.Null(known.Verify("nas", 2222, Key, "k"));
        Assert.Null(known.Verify("box.lan", 22, Key, "k"));
        Assert.Contains("is not known", known.Verify("nas", 22, Key, "k"), StringComparison.Ordinal);
        Assert.Contains("is not known", known.Verify("evil.lan", 22, Key, "k"), StringComparison.Ordinal);
        Assert.Contains($"does not match the one in {_file}:1", known.Verify("backup.example.org", 22, OtherKey, "k"), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashedNames()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[backup]:2200"));
        var known = With("# hashed by ssh-keygen -H", Line($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)}", Key));

        Assert.Null(known.Verify("backup", 2200, Key, "k"));
        Assert.Contains("is not known", known.Verify("backup", 22, Key, "k"), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AKeyOfAnotherTypeIsNotCalledAChangedKey()
    {
        byte[] ecdsa = [0, 0, 0, 19, .. "ecdsa-sha2-nistp256"u8, 4, 5, 6];
        var known = With($"server ecdsa-sha2-nistp256 {Convert.ToBase64String(ecdsa)}");

        var problem = known.Verify("server", 22, Key, "k");

        Assert.Equal(["ecdsa-sha2-nistp256"], known.KeyTypesFor("server", 22));
        Assert.DoesNotContain("intercepting", problem, StringComparison.Ordinal);
        Assert.Contains("offered its ssh-ed25519 key (k), but the known hosts files hold only ecdsa-sha2-nistp256 keys for it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashedNamesMatchWhateverTheCaseTyped()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("nas.lan"));
        var known = With(Line($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)}", Key));

        Assert.Null(known.Verify("NAS.lan", 22, Key, "k"));
    }

    [Fact]
    public void Verify_RevokedKeyIsRefusedEvenWhenAlsoListed()
    {
        var known = With(Line("server", Key), "@revoked " + Line("*", Key), "@cert-authority " + Line("*", OtherKey));

        Assert.Contains($"is marked revoked in {_file}:2", known.Verify("server", 22, Key, "k"), StringComparison.Ordinal);
        Assert.Contains("is not known", known.Verify("server2", 22, OtherKey, "k"), StringComparison.Ordinal);
    }
}
