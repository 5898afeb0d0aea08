using System.Globalization;
using System.Text;
using Cairn.Commands.Configuration;

namespace Cairn.Commands.Jobs;

/// <summary>
/// systemd units for those who prefer timers to <c>cairn daemon</c>: a oneshot service and a timer per scheduled
/// job (the cron expression as an <c>OnCalendar=</c> line), and a service that runs the daemon itself.
/// </summary>
public static class SystemdUnits
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>The unit files, each introduced by a comment line naming it.</summary>
    public static string Render(CairnConfiguration configuration, string cairnPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var config = configuration.File is { } file ? " --config " + CommandLine.Quote(file) : "";
        var text = new StringBuilder();
        text.Append("# Either run the daemon as a service:\n")
            .Append("# --- /etc/systemd/system/cairn-daemon.service\n")
            .Append("[Unit]\nDescription=Cairn backup jobs on their schedules\nAfter=network-online.target\nWants=network-online.target\n\n")
            .Append("[Service]\nExecStart=").Append(cairnPath).Append(config).Append(" daemon\nExecReload=/bin/kill -HUP $MAINPID\nKillSignal=SIGTERM\nTimeoutStopSec=10min\n\n")
            .Append("[Install]\nWantedBy=multi-user.target\n\n");
        text.Append("# Or one timer per job (then without the daemon): systemctl enable --now cairn-job-NAME.timer\n");
        foreach (var job in configuration.Jobs.Where(j => j.Schedule is not null))
        {
            var unit = "cairn-job-" + job.Name;
            text.Append("\n# --- /etc/systemd/system/").Append(unit).Append(".service\n")
                .Append("[Unit]\nDescription=Cairn backup job ").Append(job.Name).Append("\nAfter=network-online.target\nWants=network-online.target\n\n")
                .Append("[Service]\nType=oneshot\nExecStart=").Append(cairnPath).Append(config).Append(" run ").Append(CommandLine.Quote(job.Name)).Append('\n');
            text.Append("\n# --- /etc/systemd/system/").Append(unit).Append(".timer\n")
                .Append("[Unit]\nDescription=Schedule of Cairn backup job ").Append(job.Name).Append("\n\n[Timer]\n");
            if (OnCalendar(job.Schedule!.Text, out var note) is { } calendar)
                text.Append("OnCalendar=").Append(calendar).Append('\n');
            else
                text.Append("# OnCalendar= by hand: ").Append(note).Append('\n');
            if (note is not null && OnCalendar(job.Schedule.Text, out _) is not null)
                text.Append("# note: ").Append(note).Append('\n');
            text.Append("Persistent=true\n\n[Install]\nWantedBy=timers.target\n");
        }
        return text.ToString();
    }

    /// <summary>The cron expression as a systemd calendar event, or null (with the reason in <paramref name="note"/>).</summary>
    public static string? OnCalendar(string cron, out string? note)
    {
        ArgumentNullException.ThrowIfNull(cron);
        note = null;
        var macro = cron.Trim().ToLowerInvariant() switch
        {
            "@hourly" => "hourly",
            "@daily" or "@midnight" => "daily",
            "@weekly" => "weekly",
            "@monthly" => "monthly",
            "@yearly" or "@annually" => "yearly",
            _ => null,
        };
        if (macro is not null)
            return macro;
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            note = $"'{cron}' has {fields.Length} fields";
            return null;
        }
        var seconds = fields.Length == 6 ? fields[0] : "0";
        var (minute, hour, day, month, weekday) = fields.Length == 6 ? (fields[1], fields[2], fields[3], fields[4], fields[5]) : (fields[0], fields[1], fields[2], fields[3], fields[4]);
        try
        {
            var dow = weekday is "*" or "?" ? "" : string.Join(',', weekday.Split(',').Select(WeekdayPart)) + " ";
            if (dow.Length > 0 && day is not ("*" or "?"))
                note = "cron runs when either the day of month or the weekday matches, systemd when both do";
            return string.Create(CultureInfo.InvariantCulture,
                $"{dow}*-{Field(month, 1)}-{Field(day, 1)} {Field(hour, 0)}:{Field(minute, 0)}:{Field(seconds, 0)}");
        }
        catch (FormatException e)
        {
            note = e.Message;
            return null;
        }
    }

    private static string Field(string field, int first) => field is "?" ? "*" : string.Join(',', field.Split(',').Select(part =>
    {
        if (part.Contains('#', StringComparison.Ordinal) || part.Contains('L', StringComparison.OrdinalIgnoreCase) || part.Contains('W', StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"'{part}' has no systemd equivalent");
        var slash = part.Split('/');
        var range = slash[0] == "*" ? (slash.Length > 1 ? first.ToString(CultureInfo.InvariantCulture) : "*") : slash[0].Replace("-", "..", StringComparison.Ordinal);
        if (!range.All(c => char.IsAsciiDigit(c) || c is '.' or '*'))
            throw new FormatException($"'{part}' uses names; write it with numbers");
        return slash.Length > 1 ? range + "/" + slash[1] : range;
    }));

    private static string WeekdayPart(string part)
    {
        if (part.Contains('/', StringComparison.Ordinal) || part.Contains('#', StringComparison.Ordinal) || part.Contains('L', StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"weekday '{part}' has no systemd equivalent");
        return string.Join("..", part.Split('-').Select(Day));
    }

    private static string Day(string day)
    {
        if (int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 7)
            return Days[n];
        var name = Days.FirstOrDefault(d => d.Equals(day, StringComparison.OrdinalIgnoreCase));
        return name ?? throw new FormatException($"'{day}' is not a weekday");
    }
}
