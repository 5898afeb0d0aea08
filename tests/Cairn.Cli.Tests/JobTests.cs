using System.Diagnostics;
using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>
/// Jobs of cairn.toml: <c>run --dry-run</c> prints the exact commands, <c>run</c> runs hooks with their environment,
/// a failing before hook or command source makes no snapshot, and the daemon runs jobs on their schedules.
/// </summary>
public sealed class JobTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private string Source => _t.PathOf("src");

    private string StateFile => _t.PathOf("state/jobs.json");

    private async Task SetUpAsync(string jobs)
    {
        await _t.InitAsync();
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, "a.txt"), "alpha");
        File.WriteAllText(_t.ConfigFile, $"""
            [repository.main]
            url = "{_t.Repo}"
            password-file = "{_t.PasswordFile}"

            [jobs]
            state-file = "{StateFile}"

            {jobs}
            """);
    }

    [Fact]
    public async Task A_dry_run_prints_every_command_as_a_cairn_line_and_runs_none()
    {
        await SetUpAsync($"""
            [job.home]
            repository = "main"
            paths = ["{Source}"]
            exclude = ["*.tmp"]
            keep-daily = 7
            keep-weekly = 4
            prune = true
            check-read-data-subset = "5%"
            before = ["touch {_t.PathOf("before-ran")}"]
            after = ["echo done"]
            on-failure = ["echo failed"]

            [[job.home.command-source]]
            name = "listing.txt"
            command = "ls -l /"
            """);

        var run = await _t.RunOkAsync("run", "home", "--dry-run");

        var global = $"cairn -r {_t.Repo} --password-file {_t.PasswordFile} --config {_t.ConfigFile}";
        Assert.Equal(
        [
            $"sh -c 'touch {_t.PathOf("before-ran")}'",
            $"{global} backup --exclude '*.tmp' --command-source 'listing.txt=ls -l /' --tag job:home {Source}",
            $"{global} forget --tag job:home --keep-daily 7 --keep-weekly 4",
            $"{global} prune",
            $"{global} check --read-data-subset 5%",
            "sh -c 'echo done'   # after success",
            "sh -c 'echo failed'   # on failure",
        ], run.Output.TrimEnd().Split('\n'));
        Assert.False(File.Exists(_t.PathOf("before-ran")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
    }

    [Fact]
    public async Task A_run_gives_hooks_the_job_s_environment_and_records_the_run()
    {
        var env = _t.PathOf("env.txt");
        await SetUpAsync($"""
            [job.home]
            repository = "main"
            paths = ["{Source}"]
            keep-last = 1
            before = ["echo \"$CAIRN_HOOK $CAIRN_JOB $CAIRN_REPOSITORY_NAME\" >> {env}"]
            after = ["echo \"$CAIRN_HOOK $CAIRN_STATUS $CAIRN_SNAPSHOT $CAIRN_FILES_NEW $CAIRN_EXIT_CODE\" >> {env}"]

            [[job.home.command-source]]
            name = "numbers.txt"
            command = "seq 1 1000"
            """);

        var run = await _t.RunOkAsync("run", "home", "--json");

        var record = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("ok", record.GetProperty("status").GetString());
        var snapshot = record.GetProperty("snapshot").GetString()!;
        Assert.Equal(["before home main", $"after ok {snapshot} 2 0"], File.ReadAllLines(env));
        var ls = await _t.RunOkAsync("ls", "latest");
        Assert.Contains("/numbers.txt", ls.Output, StringComparison.Ordinal);
        Assert.Contains(Source + "/a.txt", ls.Output, StringComparison.Ordinal);
        var snapshots = JsonDocument.Parse((await _t.RunOkAsync("snapshots", "--json")).Output).RootElement;
        Assert.Contains("job:home", snapshots[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var jobs = JsonDocument.Parse((await _t.RunOkAsync("jobs", "--json")).Output).RootElement;
        var last = jobs[0].GetProperty("last_run");
        Assert.Equal(("home", "ok", snapshot), (jobs[0].GetProperty("job").GetString(), last.GetProperty("status").GetString(), last.GetProperty("snapshot").GetString()));
    }

    [Theory]
    [InlineData("before = [\"exit 7\"]", "before hook 'exit 7' exited with code 7")]
    [InlineData("before = [\"true\"]\n[[job.home.command-source]]\nname = \"db.sql\"\ncommand = \"echo partial; exit 5\"", "backup failed with exit code 2")]
    public async Task A_failing_before_hook_or_source_makes_no_snapshot_and_runs_the_on_failure_hooks(string setting, string message)
    {
        var env = _t.PathOf("env.txt");
        await SetUpAsync($"""
            [job.home]
            repository = "main"
            paths = ["{Source}"]
            after = ["touch {_t.PathOf("after-ran")}"]
            on-failure = ["echo \"$CAIRN_HOOK $CAIRN_STATUS $CAIRN_ERROR\" >> {env}"]
            {setting}
            """);

        var run = await _t.RunAsync("run", "home");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
        Assert.False(File.Exists(_t.PathOf("after-ran")));
        Assert.StartsWith("on-failure failed " + message, File.ReadAllText(env), StringComparison.Ordinal);
        var jobs = await _t.RunOkAsync("jobs");
        Assert.Contains("failed", jobs.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_runs_jobs_on_their_schedules_survives_a_failing_one_and_stops_on_sigterm()
    {
        var marker = _t.PathOf("ok-to-run");
        await SetUpAsync($"""
            [job.works]
            repository = "main"
            paths = ["{Source}"]
            schedule = "*/2 * * * * *"

            [job.fails]
            repository = "main"
            paths = ["{Source}"]
            schedule = "*/2 * * * * *"
            before = ["test -e {marker}"]
            """);

        using var daemon = _t.Start(["daemon"]);
        var (log, reading) = Follow(daemon);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<string, string> statuses = [];
        while (DateTime.UtcNow < deadline && !(statuses.GetValueOrDefault("works") == "ok" && statuses.GetValueOrDefault("fails") == "failed"))
        {
            await Task.Delay(300);
            statuses = Statuses();
        }
        Assert.True(statuses.GetValueOrDefault("fails") == "failed" && statuses.GetValueOrDefault("works") == "ok", Text(log));

        // Once the hook passes, the same job succeeds on its next run.
        File.WriteAllText(marker, "");
        while (DateTime.UtcNow < deadline && Statuses().GetValueOrDefault("fails") != "ok")
            await Task.Delay(300);
        Assert.True(Statuses().GetValueOrDefault("fails") == "ok", Text(log));

        Assert.Equal(0, await Shell.RunAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(daemon.WaitForExit(30_000), Text(log));
        await reading;
        Assert.True(daemon.ExitCode == 0, Text(log) + await daemon.StandardError.ReadToEndAsync());
        Assert.Contains("stopped", Text(log), StringComparison.Ordinal);

        var jobs = JsonDocument.Parse((await _t.RunOkAsync("jobs", "--json")).Output).RootElement;
        Assert.All(jobs.EnumerateArray(), j => Assert.Equal("ok", j.GetProperty("last_run").GetProperty("status").GetString()));
        Assert.Equal(2, jobs.GetArrayLength());
    }

    [Fact]
    public async Task The_daemon_runs_one_job_per_repository_at_a_time()
    {
        var trace = _t.PathOf("trace.txt");
        var job = $"""
            repository = "main"
            paths = ["{Source}"]
            schedule = "* * * * * *"
            before = ["echo start $CAIRN_JOB >> {trace}; sleep 1"]
            after = ["echo end $CAIRN_JOB >> {trace}"]
            """;
        await SetUpAsync($"[job.first]\n{job}\n\n[job.second]\n{job}\n");

        using var daemon = _t.Start(["daemon"]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string[] lines = [];
        while (DateTime.UtcNow < deadline && !(lines.Count(l => l == "end first") >= 2 && lines.Count(l => l == "end second") >= 2))
        {
            await Task.Delay(300);
            lines = File.Exists(trace) ? File.ReadAllLines(trace) : [];
        }
        Assert.Equal(0, await Shell.RunAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(daemon.WaitForExit(30_000));
        lines = File.ReadAllLines(trace);
        Assert.True(lines.Count(l => l == "end second") >= 2, string.Join("\n", lines));
        // Both jobs use one repository: each run ends before the next one starts.
        for (var i = 0; i + 1 < lines.Length; i += 2)
            Assert.True(lines[i].StartsWith("start ", StringComparison.Ordinal) && lines[i + 1] == "end " + lines[i]["start ".Length..], string.Join("\n", lines));
    }

    [Fact]
    public async Task The_daemon_reloads_its_configuration_on_sighup()
    {
        await SetUpAsync("");
        using var daemon = _t.Start(["daemon"]);
        var (log, reading) = Follow(daemon);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !Text(log).Contains("0 scheduled job(s)", StringComparison.Ordinal))
            await Task.Delay(200);
        File.AppendAllText(_t.ConfigFile, $"""

            [job.later]
            repository = "main"
            paths = ["{Source}"]
            schedule = "* * * * * *"
            """);
        Assert.Equal(0, await Shell.RunAsync("kill", "-HUP", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        while (DateTime.UtcNow < deadline && Statuses().GetValueOrDefault("later") != "ok")
            await Task.Delay(300);
        Assert.True(Statuses().GetValueOrDefault("later") == "ok", Text(log));
        Assert.Contains("configuration reloaded", Text(log), StringComparison.Ordinal);
        Assert.DoesNotContain("SIGHUP is ignored", Text(log), StringComparison.Ordinal);
        Assert.Equal(0, await Shell.RunAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(daemon.WaitForExit(30_000), Text(log));
        await reading;
    }

    [Fact]
    public async Task A_daemon_started_with_sighup_ignored_says_it_cannot_reload()
    {
        await SetUpAsync("");
        using var daemon = _t.Start(["daemon"], hangupIgnored: true);
        var (log, reading) = Follow(daemon);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !Text(log).Contains("SIGHUP is ignored", StringComparison.Ordinal))
            await Task.Delay(200);
        Assert.Contains("SIGHUP is ignored (started under nohup?): this daemon cannot be told to reload", Text(log), StringComparison.Ordinal);
        Assert.Contains("0 scheduled job(s)", Text(log), StringComparison.Ordinal);
        Assert.Equal(0, await Shell.RunAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(daemon.WaitForExit(30_000), Text(log));
        await reading;
        Assert.Equal(0, daemon.ExitCode);
    }

    private Dictionary<string, string> Statuses()
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(StateFile));
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Collects the daemon's log lines as they come.</summary>
    private static (System.Text.StringBuilder Log, Task Reading) Follow(Process daemon)
    {
        var log = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            while (await daemon.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (log)
                    log.AppendLine(line);
            }
        });
        return (log, reading);
    }

    private static string Text(System.Text.StringBuilder log)
    {
        lock (log)
            return log.ToString();
    }
}
