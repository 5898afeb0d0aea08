using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Backup;

/// <summary>Reads from an open file at an offset into <paramref name="buffer"/>; returns the bytes read, 0 at the end (<see cref="Platform.Posix.Pread"/>).</summary>
internal delegate int PositionalRead(SafeFileHandle handle, Span<byte> buffer, long offset);
