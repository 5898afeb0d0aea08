using Cairn.Commands.Configuration;
using Cairn.Core;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn job set|remove</c>: the file keeps what it had, comments included, and a mistake never reaches it.</summary>
public sealed class JobEditTests : IDisposable
{
    private const string Original = """
        # Backups of this machine.
        [repository.main]
        url = "/srv/backup"   # the USB disk

        [job.home]
        repository = "main"
        paths = ["/home"]   # everyone's
        keep-daily = 7
        """;

    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Setting_keys_keeps_the_rest_of_the_file_as_written()
    {
        var text = JobEditor.Set(Original, "/etc/cairn/cairn.toml", "home", [("keep-daily", 14L), ("schedule", "30 2 * * *"), ("paths", (IReadOnlyList<string>)["/home", "/etc"])]);

        Assert.Contains("# Backups of this machine.", text, StringComparison.Ordinal);
        Assert.Contains("url = \"/srv/backup\"   # the USB disk", text, StringComparison.Ordinal);
        var job = Assert.Single(ConfigurationFile.Parse(text, "/etc/cairn/cairn.toml").Jobs);
        Assert.Equal(["/home", "/etc"], job.Paths);
        Assert.Equal([("--keep-daily", "14")], job.Keep);
        Assert.Equal("30 2 * * *", job.Schedule!.Text);
    }

    [Fact]
    public void A_new_job_is_added_and_a_removed_one_goes_with_its_command_sources()
    {
        var text = JobEditor.Set(Original + "\n[[job.home.command-source]]\nname = \"db.sql\"\ncommand = \"pg_dump db\"\n", "/c.toml", "etc",
            [("repository", "main"), ("paths", (IReadOnlyList<string>)["/etc"])]);
        Assert.Equal(["home", "etc"], ConfigurationFile.Parse(text, "/c.toml").Jobs.Select(j => j.Name));

        var removed = JobEditor.Remove(text, "/c.toml", "home");
        Assert.Equal(["etc"], ConfigurationFile.Parse(removed, "/c.toml").Jobs.Select(j => j.Name));
        Assert.DoesNotContain("pg_dump", removed, StringComparison.Ordinal);
        Assert.Contains("# Backups of this machine.", removed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_that_would_break_the_file_is_refused_and_the_file_stays()
    {
        File.WriteAllText(_t.ConfigFile, Original);

        var run = await _t.RunAsync("job", "set", "home", "--repository", "offsite");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no repository 'offsite' is defined", run.Error, StringComparison.Ordinal);
        Assert.Equal(Original, File.ReadAllText(_t.ConfigFile));
        var e = Assert.Throws<CairnException>(() => JobEditor.Remove(Original, "/c.toml", "nothing"));
        Assert.Contains("no job 'nothing'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_creates_changes_and_removes_jobs()
    {
        File.WriteAllText(_t.ConfigFile, Original);

        await _t.RunOkAsync("job", "set", "etc", "--repository", "main", "--path", "/etc", "--schedule", "0 4 * * *", "--keep-weekly", "4", "--prune");
        await _t.RunOkAsync("job", "set", "home", "--keep-daily", "3");
        var jobs = ConfigurationFile.Parse(File.ReadAllText(_t.ConfigFile), _t.ConfigFile).Jobs;
        Assert.Equal([("--keep-daily", "3")], jobs.Single(j => j.Name == "home").Keep);
        var etc = jobs.Single(j => j.Name == "etc");
        Assert.True(etc.Prune);
        Assert.Equal("0 4 * * *", etc.Schedule!.Text);

        await _t.RunOkAsync("job", "remove", "etc");
        Assert.Equal(["home"], ConfigurationFile.Parse(File.ReadAllText(_t.ConfigFile), _t.ConfigFile).Jobs.Select(j => j.Name));
    }

    [Fact]
    public async Task A_schedule_name_starting_with_an_at_sign_is_a_value_not_a_response_file()
    {
        File.WriteAllText(_t.ConfigFile, Original);

        await _t.RunOkAsync("job", "set", "home", "--schedule", "@daily");

        var home = Assert.Single(ConfigurationFile.Parse(File.ReadAllText(_t.ConfigFile), _t.ConfigFile).Jobs);
        Assert.Equal("@daily", home.Schedule!.Text);
    }
}
