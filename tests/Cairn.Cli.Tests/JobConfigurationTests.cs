using Cairn.Commands.Configuration;
using Cairn.Core;

namespace Cairn.Cli.Tests;

/// <summary>Repositories and jobs in cairn.toml: what a job holds, and one test per kind of mistake, each naming the file, the line and the key.</summary>
public sealed class JobConfigurationTests
{
    private const string File = "/etc/cairn/cairn.toml";

    private const string Repository = """
        [repository.nas]
        url = "sftp://backup@nas/srv/cairn"
        password-command = "pass show cairn"
        connections = 6
        options = ["sftp.command=ssh -p 2222 backup@nas -s sftp"]

        """;

    [Fact]
    public void A_job_holds_its_sources_retention_schedule_and_hooks()
    {
        var configuration = ConfigurationFile.Parse(Repository + """
            [jobs]
            state-file = "/var/tmp/jobs.json"

            [job.home]
            repository = "nas"
            paths = ["/home", "/etc"]
            exclude = ["*.tmp"]
            exclude-if-present = [".nobackup"]
            one-file-system = true
            ignore-ctime = true
            tags = ["laptop"]
            keep-daily = 7
            keep-weekly = 4
            keep-within = "2d"
            prune = true
            check-read-data-subset = "5%"
            schedule = "30 2 * * mon-fri"
            before = ["systemctl stop app"]
            after = ["systemctl start app"]
            on-failure = ["systemctl start app", "mail -s failed root"]

            [[job.home.command-source]]
            name = "app.sql"
            command = "pg_dump app"
            """, File);

        var repository = configuration.Repositories["nas"];
        Assert.Equal(("sftp://backup@nas/srv/cairn", "pass show cairn", 6), (repository.Url, repository.PasswordCommand, repository.Connections));
        var job = Assert.Single(configuration.Jobs);
        Assert.Equal(["/home", "/etc"], job.Paths);
        Assert.Equal("app.sql=pg_dump app", Assert.Single(job.CommandSources).ToString());
        Assert.Equal([("--keep-daily", "7"), ("--keep-weekly", "4"), ("--keep-within", "2d")], job.Keep);
        Assert.Equal("30 2 * * mon-fri", job.Schedule!.Text);
        Assert.Equal(2, job.OnFailure.Count);
        Assert.True(job.IgnoreCtime && !job.Rehash);
        Assert.Equal("/var/tmp/jobs.json", configuration.JobStateFile);
    }

    [Theory]
    [InlineData("[job.a]\nrepository = \"nas\"\npath = [\"/home\"]\n", 8, "unknown key 'job.a.path'")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = \"\"\n", 8, "job.a.paths: expected a list of strings")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\", 3]\n", 8, "job.a.paths: expected a list of non-empty strings")]
    [InlineData("[job.a]\nrepository = \"offsite\"\npaths = [\"/a\"]\n", 7, "job.a.repository: no repository 'offsite' is defined (known ones: nas)")]
    [InlineData("[job.a]\npaths = [\"/a\"]\n", 6, "[job.a] needs repository = \"NAME\"")]
    [InlineData("[job.a]\nrepository = \"nas\"\n", 6, "[job.a] has nothing to back up")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\nschedule = \"61 * * * *\"\n", 9, "job.a.schedule: '61 * * * *' is not a cron expression")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\nkeep-daily = -1\n", 9, "job.a.keep-daily: expected a whole number from 0 to")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\nkeep-within = \"soon\"\n", 9, "job.a.keep-within: ")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\nexclude = [\"/a/[b\"]\n", 9, "job.a.exclude: invalid pattern '/a/[b'")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\nprune = \"yes\"\n", 9, "job.a.prune: expected true or false")]
    [InlineData("[job.a]\nrepository = \"nas\"\n[[job.a.command-source]]\nname = \"db.sql\"\n", 8, "[[job.a.command-source]] needs name = \"FILE\" and command = \"COMMAND\"")]
    [InlineData("[job.a]\nrepository = \"nas\"\n[[job.a.command-source]]\nname = \"a/b\"\ncommand = \"x\"\n", 9, "job.a.command-source.name: invalid file name 'a/b'")]
    [InlineData("[job.a]\nrepository = \"nas\"\npaths = [\"/a\"]\n[[job.b.command-source]]\nname = \"x\"\ncommand = \"x\"\n", 9, "[[job.b.command-source]] belongs to no [job.b] table")]
    [InlineData("[repository.x]\npassword-file = \"/p\"\n", 6, "[repository.x] needs url = ")]
    [InlineData("[repository.x]\nurl = \"/r\"\nconnections = 0\n", 8, "repository.x.connections: expected a whole number from 1 to 64")]
    [InlineData("[repository.x]\nurl = \"/r\"\noptions = [\"verbose\"]\n", 8, "repository.x.options: 'verbose' is not KEY=VALUE")]
    [InlineData("[repository.nas]\nurl = \"/r\"\n", 6, "repository.nas")] // TOML itself refuses a table defined twice
    [InlineData("[jobs]\nstate = \"/x\"\n", 7, "unknown key 'jobs.state'")]
    public void Each_mistake_names_the_file_the_line_and_the_key(string text, int line, string message)
    {
        var e = Assert.Throws<CairnException>(() => ConfigurationFile.Parse(Repository + text, File));

        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.StartsWith($"{File}:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
