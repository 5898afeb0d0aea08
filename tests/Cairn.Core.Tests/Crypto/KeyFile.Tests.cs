using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Crypto;

namespace Cairn.Core.Tests.Crypto;

public sealed class KeyFileTests
{
    private static readonly byte[] Master = TestData.MasterSecret(1);
    private static readonly byte[] Password = KeyFile.PasswordBytes("correct horse battery staple");

    private static KeyFile NewKeyFile() => KeyFile.Create(Master, Password, KdfParameters.Minimum);

    [Fact]
    public void Create_ThenUnwrapWithThePassword_ReturnsTheMasterSecret()
    {
        var key = NewKeyFile();

        Assert.Equal(Master, key.TryUnwrap(Password));
        Assert.Equal(KdfParameters.Minimum, key.KdfParams);
        Assert.Equal(PasswordKdf.SaltLength, key.Salt.Length);
        Assert.Equal(KeyRing.MasterSecretLength + SealedBox.Overhead, key.SealedMaster.Length);
    }

    [Fact]
    public void TryUnwrap_WrongPassword_ReturnsNull()
    {
        var key = NewKeyFile();

        Assert.Null(key.TryUnwrap(KeyFile.PasswordBytes("correct horse battery stapler")));
        Assert.Null(key.TryUnwrap(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Json_RoundTrip_StillUnwraps()
    {
        var key = NewKeyFile();

        var json = key.ToJson();
        var parsed = KeyFile.FromJson(json);

        var text = Encoding.UTF8.GetString(json);
        Assert.Contains("\"argon2id\"", text, StringComparison.Ordinal);
        Assert.Contains("\"kdf_params\"", text, StringComparison.Ordinal);
        Assert.Contains("\"memory_kib\": 8192", text, StringComparison.Ordinal);
        Assert.Equal(key.Salt, parsed.Salt);
        Assert.Equal(key.SealedMaster, parsed.SealedMaster);
        Assert.Equal(key.KdfParams, parsed.KdfParams);
        Assert.Equal(key.Created, parsed.Created);
        Assert.Equal(Master, parsed.TryUnwrap(Password));
    }

    [Fact]
    public void Create_Twice_UsesDifferentSalts()
    {
        var a = NewKeyFile();
        var b = NewKeyFile();

        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.SealedMaster, b.SealedMaster);
    }

    [Theory]
    [InlineData(1024, 1, 1)]      // memory below 8 MiB
    [InlineData(8 * 1024 - 1, 1, 1)]
    [InlineData(8 * 1024, 0, 1)]  // no passes
    [InlineData(8 * 1024, 1, 0)]  // no lanes
    [InlineData(8 * 1024 * 1024, 1, 1)] // absurd memory
    public void TryUnwrap_KdfParametersOutsideTheAcceptedRange_Throws(int memoryKiB, int iterations, int parallelism)
    {
        var tampered = NewKeyFile() with { KdfParams = new KdfParameters(memoryKiB, iterations, parallelism) };

        Assert.Throws<CryptographicException>(() => tampered.TryUnwrap(Password));
    }

    [Fact]
    public void TryUnwrap_ShortSalt_Throws()
    {
        var tampered = NewKeyFile() with { Salt = new byte[7] };

        Assert.Throws<CryptographicException>(() => tampered.TryUnwrap(Password));
    }

    [Fact]
    public void TryUnwrap_TamperedSealedMaster_ReturnsNull()
    {
        var key = NewKeyFile();
        var tampered = key with { SealedMaster = TestData.FlipBit(key.SealedMaster, 8 * SealedBox.NonceLength + 3) };

        Assert.Null(tampered.TryUnwrap(Password));
    }

    [Fact]
    public void TryUnwrap_UnknownVersionOrKdf_Throws()
    {
        var key = NewKeyFile();

        Assert.Throws<NotSupportedException>(() => (key with { Version = 2 }).TryUnwrap(Password));
        Assert.Throws<NotSupportedException>(() => (key with { Kdf = "scrypt" }).TryUnwrap(Password));
    }

    [Fact]
    public void KdfParameters_DefaultAndMinimum_AreAcceptable()
    {
        Assert.True(KdfParameters.Default.IsAcceptable);
        Assert.True(KdfParameters.Minimum.IsAcceptable);
        Assert.False((KdfParameters.Minimum with { MemoryKiB = KdfParameters.Minimum.MemoryKiB - 1 }).IsAcceptable);
    }

    [Fact]
    public void A_key_file_stores_the_three_kdf_parameters_only_and_opens_with_the_field_earlier_versions_wrote()
    {
        var key = NewKeyFile();

        var json = System.Text.Json.Nodes.JsonNode.Parse(key.ToJson())!;
        var stored = json["kdf_params"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["iterations", "memory_kib", "parallelism"], stored);
        // Until session 20 the computed IsAcceptable was written too; such key files still open.
        json["kdf_params"]!["IsAcceptable"] = true;
        var earlier = KeyFile.FromJson(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.NotNull(earlier.TryUnwrap(Password));
    }
}
