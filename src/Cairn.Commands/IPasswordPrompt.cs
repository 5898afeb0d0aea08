namespace Cairn.Commands;

/// <summary>Asks a person for a password; front ends provide it (a terminal prompt, a GUI dialog).</summary>
public interface IPasswordPrompt
{
    /// <summary>True when a person can be asked.</summary>
    bool CanPrompt { get; }

    /// <summary>Asks for a password without echoing it.</summary>
    string Ask(string question);
}
