using System.Text;

namespace Cairn.Commands;

/// <summary>
/// Renders a command as the exact <c>cairn …</c> line that runs it from a shell: the GUI's command-line window and
/// action log use it. Arguments are POSIX-shell quoted.
/// </summary>
public static class CommandLine
{
    /// <summary>Renders <c>cairn</c> followed by the arguments; an argument holding '\0' is an option and its value.</summary>
    public static string Render(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var sb = new StringBuilder("cairn");
        foreach (var argument in arguments)
        {
            foreach (var part in argument.Split('\0'))
                sb.Append(' ').Append(Quote(part));
        }
        return sb.ToString();
    }

    /// <summary>Quotes one word for a POSIX shell when it needs quoting.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c)))
            return word;
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>An option with a value, in the form <see cref="Render"/> understands.</summary>
    public static string Option(string name, string value) => name + "\0" + value;
}
