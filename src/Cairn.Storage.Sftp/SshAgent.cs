using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Cairn.Storage.Sftp;

/// <summary>
/// A client of a running ssh-agent (the protocol of draft-miller-ssh-agent): lists its keys and has it sign,
/// so that private keys never enter Cairn's process.
/// </summary>
internal sealed class SshAgent(string socketPath)
{
    private const byte Failure = 5;
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;
    private const byte SignRequest = 13;
    private const byte SignResponse = 14;

    /// <summary>The public keys the agent holds (SSH wire format) with their comments.</summary>
    public IReadOnlyList<(byte[] Blob, string Comment)> ListKeys()
    {
        var reply = Request([RequestIdentities]);
        if (reply[0] != IdentitiesAnswer)
            throw new IOException("ssh-agent refused to list its keys");
        var keys = new List<(byte[], string)>();
        var reader = new WireReader(reply, 1);
        var count = reader.UInt32();
        for (var i = 0; i < count; i++)
            keys.Add((reader.Bytes(), Encoding.UTF8.GetString(reader.Bytes())));
        return keys;
    }

    /// <summary>Has the agent sign <paramref name="data"/> with a key; returns the signature blob (algorithm and signature).</summary>
    public byte[] Sign(byte[] keyBlob, byte[] data, uint flags)
    {
        var message = new MemoryStream();
        message.WriteByte(SignRequest);
        WriteBytes(message, keyBlob);
        WriteBytes(message, data);
        WriteUInt32(message, flags);
        var reply = Request(message.ToArray());
        if (reply[0] == Failure)
            throw new IOException("ssh-agent refused to sign (is the key still loaded and allowed?)");
        if (reply[0] != SignResponse)
            throw new IOException($"unexpected ssh-agent reply {reply[0]}");
        return new WireReader(reply, 1).Bytes();
    }

    /// <summary>The key type named at the start of a public key blob, e.g. <c>ssh-ed25519</c>.</summary>
    public static string KeyType(byte[] blob) => Encoding.ASCII.GetString(new WireReader(blob, 0).Bytes());

    private byte[] Request(byte[] message)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var stream = new NetworkStream(socket);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)message.Length);
        stream.Write(length);
        stream.Write(message);
        stream.ReadExactly(length);
        var size = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (size is 0 or > 256 * 1024)
            throw new IOException($"ssh-agent sent a reply of {size} bytes");
        var reply = new byte[size];
        stream.ReadExactly(reply);
        return reply;
    }

    private static void WriteBytes(Stream stream, byte[] bytes)
    {
        WriteUInt32(stream, (uint)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        stream.Write(buffer);
    }

    private sealed class WireReader(byte[] data, int position)
    {
        public uint UInt32()
        {
            if (position + 4 > data.Length)
                throw new IOException("ssh-agent sent a truncated reply");
            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            position += 4;
            return value;
        }

        public byte[] Bytes()
        {
            var length = (int)UInt32();
            if (length < 0 || position + length > data.Length)
                throw new IOException("ssh-agent sent a truncated reply");
            var bytes = data.AsSpan(position, length).ToArray();
            position += length;
            return bytes;
        }
    }
}
