using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Crypto;

public sealed class KeyRingTests
{
    private static readonly KeyDomain[] SealingDomains = [KeyDomain.Data, KeyDomain.Metadata, KeyDomain.SnapshotSummary];

    private static byte[] Hkdf(byte[] master, string label)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, key, ReadOnlySpan<byte>.Empty, Encoding.ASCII.GetBytes("cairn v1 " + label));
        return key;
    }

    [Fact]
    public void SameMaster_DerivesTheSameKeys()
    {
        using var a = TestData.Keys(1);
        using var b = TestData.Keys(1);
        var plaintext = TestData.RandomBytes(100, 1);

        Assert.Equal(a.ChunkerSeed.ToArray(), b.ChunkerSeed.ToArray());
        Assert.Equal(a.BlobIdOf(BlobType.Data, plaintext), b.BlobIdOf(BlobType.Data, plaintext));
        foreach (var domain in SealingDomains)
            Assert.Equal(plaintext, b.Box(domain).TryOpen(a.Box(domain).Seal(plaintext, "ad"u8), "ad"u8));
    }

    [Fact]
    public void DifferentDomains_UseDifferentKeys()
    {
        using var keys = TestData.Keys(2);
        var plaintext = TestData.RandomBytes(100, 2);

        foreach (var sealer in SealingDomains)
        {
            var sealedBytes = keys.Box(sealer).Seal(plaintext, "ad"u8);
            foreach (var opener in SealingDomains.Where(d => d != sealer))
                Assert.True(keys.Box(opener).TryOpen(sealedBytes, "ad"u8) is null, $"{opener} opens what {sealer} sealed");
        }
    }

    [Fact]
    public void Keys_AreHkdfOfTheMasterWithTheDocumentedLabels()
    {
        var master = TestData.MasterSecret(3);
        using var keys = new KeyRing(master, CipherSuite.Aes256Gcm);
        var plaintext = TestData.RandomBytes(100, 3);

        Assert.Equal(Hkdf(master, "chunker"), keys.ChunkerSeed.ToArray());
        using (var hasher = Blake3.Hasher.NewKeyed(Hkdf(master, "chunk-id")))
        {
            hasher.Update(plaintext);
            var expected = new byte[32];
            hasher.Finalize(expected);
            Assert.Equal(new BlobId(new Digest(expected)), keys.BlobIdOf(BlobType.Data, plaintext));
        }
        foreach (var domain in SealingDomains)
        {
            using var box = new SealedBox(CipherSuite.Aes256Gcm, Hkdf(master, KeyRing.DomainLabel(domain)));
            Assert.Equal(plaintext, box.TryOpen(keys.Box(domain).Seal(plaintext, "ad"u8), "ad"u8));
        }
        var labels = Enum.GetValues<KeyDomain>().Select(KeyRing.DomainLabel).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.NotEqual(Hkdf(master, "chunker"), Hkdf(master, "chunk-id"));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(9000)]
    [InlineData(100_000)]
    public void ImportedIdKeys_NameBlobsAsTheRepositoryTheyCameFrom(int length)
    {
        using var source = TestData.Keys(11);
        using var copy = TestData.Keys(12);
        var plaintext = TestData.RandomBytes(length, 13);
        Assert.NotEqual(source.BlobIdOf(BlobType.Data, plaintext), copy.BlobIdOf(BlobType.Data, plaintext));

        copy.ImportIdKeys(source.ExportIdKeys());

        Assert.Equal(source.BlobIdOf(BlobType.Data, plaintext), copy.BlobIdOf(BlobType.Data, plaintext));
        Assert.Equal(source.BlobIdOf(BlobType.Tree, plaintext), copy.BlobIdOf(BlobType.Tree, plaintext));
    }

    [Fact]
    public void BlobIdOf_IsKeyedByTheMasterSecret()
    {
        using var a = TestData.Keys(4);
        using var b = TestData.Keys(5);
        var plaintext = TestData.RandomBytes(1000, 4);

        Assert.NotEqual(a.BlobIdOf(BlobType.Data, plaintext), b.BlobIdOf(BlobType.Data, plaintext));
        Assert.NotEqual(Digest.OfContent(plaintext), a.BlobIdOf(BlobType.Data, plaintext).Digest);
        Assert.Equal(a.BlobIdOf(BlobType.Data, plaintext), a.BlobIdOf(BlobType.Data, plaintext.ToArray()));
        Assert.NotEqual(a.BlobIdOf(BlobType.Data, plaintext), a.BlobIdOf(BlobType.Data, plaintext.AsSpan(1)));
    }

    [Fact]
    public void DifferentMasters_DeriveDifferentKeys()
    {
        using var a = TestData.Keys(6);
        using var b = TestData.Keys(7);
        var plaintext = TestData.RandomBytes(100, 6);

        Assert.NotEqual(a.ChunkerSeed.ToArray(), b.ChunkerSeed.ToArray());
        foreach (var domain in SealingDomains)
            Assert.Null(b.Box(domain).TryOpen(a.Box(domain).Seal(plaintext, "ad"u8), "ad"u8));
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm)]
    [InlineData(CipherSuite.AuthenticatedPlaintext)]
    public void Boxes_UseTheRingsSuite(CipherSuite suite)
    {
        using var keys = TestData.Keys(8, suite);

        Assert.Equal(suite, keys.Suite);
        Assert.All(SealingDomains, d => Assert.Equal(suite, keys.Box(d).Suite));
    }

    [Theory]
    [InlineData(KeyDomain.ChunkId)]
    [InlineData(KeyDomain.Chunker)]
    public void Box_DomainWithoutEncryptionKey_Throws(KeyDomain domain)
    {
        using var keys = TestData.Keys(9);

        Assert.Throws<ArgumentOutOfRangeException>(() => keys.Box(domain));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(63)]
    [InlineData(65)]
    public void Constructor_MasterSecretNot64Bytes_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => new KeyRing(new byte[length], CipherSuite.Aes256Gcm));
    }

    [Fact]
    public void NewMasterSecret_Is64RandomBytes()
    {
        var a = KeyRing.NewMasterSecret();
        var b = KeyRing.NewMasterSecret();

        Assert.Equal(KeyRing.MasterSecretLength, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void DataAndTreeIdsOfTheSameBytesDiffer()
    {
        using var keys = new KeyRing(new byte[KeyRing.MasterSecretLength], CipherSuite.Aes256Gcm);
        var bytes = "the same bytes"u8.ToArray();
        Assert.NotEqual(keys.BlobIdOf(BlobType.Data, bytes), keys.BlobIdOf(BlobType.Tree, bytes));
        Assert.Equal(keys.BlobIdOf(BlobType.Tree, bytes), keys.BlobIdOf(BlobType.Tree, bytes));
    }
}
