using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cairn.Server;

/// <summary>The server's TLS certificate: from PEM files, or a self-signed one kept in the root so that its fingerprint stays the same.</summary>
public static class ServerCertificate
{
    /// <summary>Loads a certificate and its private key from PEM files.</summary>
    public static X509Certificate2 FromPem(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        // An exported and re-imported copy keeps its key usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The self-signed certificate stored at <paramref name="file"/>, made (for <paramref name="names"/>) when there is none.</summary>
    public static X509Certificate2 SelfSigned(string file, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (File.Exists(file))
            return X509CertificateLoader.LoadPkcs12FromFile(file, null);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cairn serve", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Append("localhost").Distinct(StringComparer.Ordinal))
        {
            if (System.Net.IPAddress.TryParse(name, out var address))
                san.AddIpAddress(address);
            else
                san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        var pfx = certificate.Export(X509ContentType.Pkcs12);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        WritePrivate(file, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    /// <summary>Writes a file that holds secrets: readable by its owner only from the moment it exists.</summary>
    internal static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The certificate's SHA-256 fingerprint, lower-case hex: what a client pins with <c>-o rest.fingerprint=</c>.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }
}
