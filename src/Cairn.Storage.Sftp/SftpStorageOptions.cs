namespace Cairn.Storage.Sftp;

/// <summary>How Cairn logs in to an SFTP server and how many connections it keeps.</summary>
public sealed record SftpStorageOptions
{
    /// <summary>Private key files to offer; null means the usual ones in <c>~/.ssh</c> that exist, empty means none.</summary>
    public IReadOnlyList<string>? KeyFiles { get; init; }

    /// <summary>known_hosts files; empty means <c>~/.ssh/known_hosts</c> and <c>/etc/ssh/ssh_known_hosts</c>.</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];

    /// <summary>The socket of the ssh-agent whose keys are offered too (default <c>SSH_AUTH_SOCK</c>); null for none.</summary>
    public string? AgentSocket { get; init; } = Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") is { Length: > 0 } socket ? socket : null;

    /// <summary>SSH connections used at once.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>How long connecting and each request may take before the connection counts as dropped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The private key files that are used: the given ones, or the usual ones that exist.</summary>
    public IReadOnlyList<string> EffectiveKeyFiles()
    {
        if (KeyFiles is not null)
            return KeyFiles;
        var ssh = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => Path.Combine(ssh, n)).Where(File.Exists).ToList();
    }

    /// <summary>The known_hosts files that are read.</summary>
    public IReadOnlyList<string> EffectiveKnownHostsFiles() => KnownHostsFiles.Count > 0
        ? KnownHostsFiles
        : [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts"), "/etc/ssh/ssh_known_hosts"];
}
