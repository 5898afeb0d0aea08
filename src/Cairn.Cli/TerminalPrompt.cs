using System.Text;
using Cairn.Commands;

namespace Cairn.Cli;

/// <summary>Asks for a password on the terminal without echoing it.</summary>
internal sealed class TerminalPrompt(TextWriter error) : IPasswordPrompt
{
    public bool CanPrompt => !Console.IsInputRedirected;

    public string Ask(string question)
    {
        error.Write(question);
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                    sb.Length--;
                continue;
            }
            sb.Append(key.KeyChar);
        }
        error.WriteLine();
        return sb.ToString();
    }
}
