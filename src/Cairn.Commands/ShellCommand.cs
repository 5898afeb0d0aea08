using System.Diagnostics;

namespace Cairn.Commands;

/// <summary>How Cairn runs a command a user gave it (a hook, a source, a filter, a password command): <c>/bin/sh -c COMMAND</c>.</summary>
public static class ShellCommand
{
    /// <summary>The start info for <paramref name="command"/>; the caller chooses which streams to redirect.</summary>
    public static ProcessStartInfo StartInfo(string command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        return psi;
    }
}
