using Renci.SshNet;
using Renci.SshNet.Security;

namespace Cairn.Storage.Sftp;

/// <summary>One key held by ssh-agent, offered to SSH.NET's public-key login; the agent signs.</summary>
internal sealed class AgentKeySource : IPrivateKeySource
{
    public AgentKeySource(SshAgent agent, byte[] blob)
    {
        var type = SshAgent.KeyType(blob);
        // RSA keys sign with SHA-2 (flags from the agent protocol); OpenSSH no longer accepts ssh-rsa's SHA-1.
        HostKeyAlgorithms = type == "ssh-rsa"
            ? [new AgentHostAlgorithm(agent, "rsa-sha2-512", blob, 4), new AgentHostAlgorithm(agent, "rsa-sha2-256", blob, 2)]
            : [new AgentHostAlgorithm(agent, type, blob, 0)];
    }

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }

    private sealed class AgentHostAlgorithm(SshAgent agent, string name, byte[] blob, uint flags) : HostAlgorithm(name)
    {
        public override byte[] Data => blob;

        public override byte[] Sign(byte[] data) => agent.Sign(blob, data, flags);

        public override bool VerifySignature(byte[] data, byte[] signature) =>
            throw new NotSupportedException("keys of ssh-agent are used to sign only");
    }
}
