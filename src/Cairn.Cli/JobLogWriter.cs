using System.Globalization;
using System.Text;

namespace Cairn.Cli;

/// <summary>A writer for the daemon's log that puts a timestamp and the job's name in front of every line a job's steps print.</summary>
internal sealed class JobLogWriter(TextWriter log, string job) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => log.Encoding;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                lock (log)
                    log.WriteLine($"{DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)} [{job}] {_line}");
                _line.Clear();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }
}
