using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cairn.Tests.Shared;
using Microsoft.Playwright;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn ui</c> in headless Chromium (Debian's, driven by Playwright): the token guards every request; a backup
/// shows its command line before it runs and its result after; that command line run in a shell does the same; a
/// snapshot made by the CLI appears in the open page without a reload. Screenshots go to the test's scratch
/// directory, or to the folder CAIRN_GUI_SCREENSHOTS names (<c>CAIRN_GUI_SCREENSHOTS=docs/gui</c> refreshes the docs' images).
/// </summary>
public sealed class GuiTests : IAsyncLifetime
{
    private readonly TestRepository _t = new();
    private Process? _ui;
    private string _url = "";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private string Source => _t.PathOf("src");

    private string ActionLog => _t.PathOf("actions.log");

    public async Task InitializeAsync()
    {
        Assert.Equal(0, await Shell.RunAsync("bash", Path.Combine(RepositoryRoot.Path, "scripts", "services", "setup-chromium.sh")));
        await _t.InitAsync();
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, "a.txt"), "alpha");
        File.WriteAllText(_t.ConfigFile, $"""
            [repository.main]
            url = "{_t.Repo}"
            password-file = "{_t.PasswordFile}"

            [jobs]
            state-file = "{_t.PathOf("jobs.json")}"

            [job.nightly]
            repository = "main"
            paths = ["{Source}"]
            schedule = "0 2 * * *"
            """);
        _ui = _t.Start(["ui", "--action-log", ActionLog]);
        var line = await _ui.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await _ui.StandardError.ReadToEndAsync());
        Assert.StartsWith("Cairn GUI: http://127.0.0.1:", line, StringComparison.Ordinal);
        _url = line["Cairn GUI: ".Length..];
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_ui is { HasExited: false })
        {
            _ui.Kill(entireProcessTree: true);
            await _ui.WaitForExitAsync();
        }
        _ui?.Dispose();
        _t.Dispose();
    }

    [Fact]
    public async Task Nothing_is_served_without_the_token()
    {
        using var client = new HttpClient();
        var root = new Uri(_url).GetLeftPart(UriPartial.Authority);
        foreach (var path in new[] { "/", "/app.js", "/api/repositories", "/api/events?repository=default", "/?token=wrong" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(root + path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(root + "/api/run", new StringContent("""{"repository":"default","arguments":["snapshots"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(_url)).StatusCode);
    }

    [Fact]
    public async Task A_backup_shows_its_command_first_and_the_same_command_in_a_shell_does_the_same()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await page.GotoAsync(_url);
        await page.Locator("#snapshots-empty").WaitForAsync();
        await page.FillAsync("#backup-paths", Source);
        await page.FillAsync("#backup-tags", "gui");
        await page.ClickAsync("#backup-button");

        var pending = page.Locator("#command-pending code");
        await pending.WaitForAsync();
        var command = await pending.TextContentAsync() ?? "";
        Assert.Equal($"cairn -r {_t.RepoUrl} --password-file {_t.PasswordFile} --config {_t.ConfigFile} backup --tag gui {Source}", command);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots"))); // nothing runs before it is confirmed
        await Screenshot(page, "backup-confirm");

        await page.ClickAsync("#confirm");
        await page.Locator("#status.ok", new PageLocatorOptions { HasTextString = "saved" }).WaitForAsync();
        await page.Locator("#snapshots tbody tr").First.WaitForAsync();
        Assert.Equal(1, await page.Locator("#snapshots tbody tr").CountAsync());
        Assert.Contains(command, File.ReadAllText(ActionLog), StringComparison.Ordinal);
        await Screenshot(page, "snapshots");

        // The command from the window, run in a shell, makes a snapshot of the same paths and tags.
        var shell = command.Replace("cairn ", $"dotnet {Path.Combine(AppContext.BaseDirectory, "cairn.dll")} ", StringComparison.Ordinal);
        Assert.Equal(0, await Shell.RunAsync("bash", "-c", shell + " >/dev/null"));
        var snapshots = JsonDocument.Parse((await _t.RunOkAsync("snapshots", "--json")).Output).RootElement;
        Assert.Equal(2, snapshots.GetArrayLength());
        Assert.Equal(snapshots[0].GetProperty("paths").ToString(), snapshots[1].GetProperty("paths").ToString());
        Assert.Equal(snapshots[0].GetProperty("tags").ToString(), snapshots[1].GetProperty("tags").ToString());
        // ...and the open page shows it without a reload.
        await page.Locator("#snapshots tbody tr").Nth(1).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_snapshot_made_with_the_cli_appears_in_the_open_page_without_a_reload()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(_url);
        await page.Locator("#snapshots-empty").WaitForAsync();
        var backup = await _t.RunOkAsync("backup", "--tag", "from-cli", Source);
        Assert.Contains("snapshot", backup.Output, StringComparison.Ordinal);
        var row = page.Locator("#snapshots tbody tr", new PageLocatorOptions { HasTextString = "from-cli" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Equal(1, await page.Locator("#snapshots tbody tr").CountAsync());
    }

    [Fact]
    public async Task An_error_is_worded_as_the_cli_words_it()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 600, Height = 900 } });
        await page.GotoAsync(_url);
        await page.Locator("#snapshots-empty").WaitForAsync();
        await page.FillAsync("#backup-paths", _t.PathOf("does-not-exist"));
        await page.ClickAsync("#backup-button");
        await page.Locator("#command-pending code").WaitForAsync();
        await page.Keyboard.PressAsync("Enter"); // the Run button has the focus
        var status = page.Locator("#status.error");
        await status.WaitForAsync();
        var cli = await _t.RunAsync("backup", _t.PathOf("does-not-exist"));
        Assert.Equal(cli.Error.Trim(), (await status.TextContentAsync())?.Trim());
        await Screenshot(page, "narrow-error");
    }

    [Fact]
    public async Task Browsing_a_snapshot_and_restoring_a_file_does_what_its_command_line_does()
    {
        await _t.RunOkAsync("backup", Source);
        var page = await OpenAsync();
        await page.Locator("#snapshots tbody tr").First.ClickAsync();
        var breadcrumb = page.Locator("#breadcrumb button");
        await breadcrumb.First.WaitForAsync();
        foreach (var part in Source.Split('/', StringSplitOptions.RemoveEmptyEntries))
            await page.Locator("#entries tbody tr", new PageLocatorOptions { HasTextString = part }).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        var row = page.Locator("#entries tbody tr", new PageLocatorOptions { HasTextString = "a.txt" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Select" }).ClickAsync();
        await Screenshot(page, "browse");
        var target = _t.PathOf("restored-by-gui");
        await page.FillAsync("#restore-target", target);
        await page.ClickAsync("#restore-button");
        var command = await ConfirmAsync(page, "restored");
        Assert.Matches($"^cairn .* restore [0-9a-f]{{8}}:{Source}/a.txt --target {target}$", command);
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(target, "a.txt")));

        var again = _t.PathOf("restored-by-shell");
        Assert.Equal(0, await RunInShellAsync(command.Replace(target, again, StringComparison.Ordinal)));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(again, "a.txt")));
    }

    [Fact]
    public async Task Forget_shows_its_plan_first_and_does_what_its_command_line_does()
    {
        for (var i = 0; i < 3; i++)
            await _t.RunOkAsync("backup", Source);
        var page = await OpenAsync();
        await page.Locator("#snapshots tbody tr").Nth(2).WaitForAsync();
        await page.FillAsync("#keep-last", "2");
        await page.ClickAsync("#forget-preview");
        await page.Locator("#forget-plan tbody tr.remove").WaitForAsync();
        Assert.Equal(1, await page.Locator("#forget-plan tbody tr.remove").CountAsync());
        Assert.Equal(2, await page.Locator("#forget-plan tbody tr.keep").CountAsync());
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length); // a preview removes nothing
        await Screenshot(page, "forget-plan");
        await page.ClickAsync("#forget-button");
        var command = await ConfirmAsync(page, "removed 1 snapshots");
        Assert.EndsWith(" forget --keep-last 2", command, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length);

        await _t.RunOkAsync("backup", Source);
        Assert.Equal(0, await RunInShellAsync(command));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length);
    }

    [Fact]
    public async Task Check_and_running_a_job_are_their_command_lines()
    {
        await _t.RunOkAsync("backup", Source);
        var page = await OpenAsync();
        await page.ClickAsync("#check-button");
        var check = await ConfirmAsync(page, "no errors");
        Assert.EndsWith(" check", check, StringComparison.Ordinal);
        Assert.Equal(0, await RunInShellAsync(check));

        var row = page.Locator("#jobs tbody tr", new PageLocatorOptions { HasTextString = "nightly" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Run now…" }).ClickAsync();
        var run = await ConfirmAsync(page, "job nightly: ok");
        Assert.EndsWith(" run nightly", run, StringComparison.Ordinal);
        await Screenshot(page, "jobs");
        var snapshots = Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length;
        Assert.Equal(0, await RunInShellAsync(run));
        Assert.Equal(snapshots + 1, Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Length);
    }

    [Fact]
    public async Task A_backup_shows_the_cli_s_progress_line_while_it_runs_and_stop_ends_it_with_no_snapshot()
    {
        var big = _t.PathOf("big");
        Directory.CreateDirectory(big);
        var data = new byte[16 << 20];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(Path.Combine(big, "random.bin"), data);
        // A second GUI whose repository takes 1 MiB/s: a backup long enough to watch and stop.
        using var slow = _t.Start(["--limit-upload", "1024", "ui", "--action-log", ActionLog]);
        var line = await slow.StandardOutput.ReadLineAsync() ?? "";
        try
        {
            var page = await _browser!.NewPageAsync();
            await page.GotoAsync(line["Cairn GUI: ".Length..]);
            await page.Locator("#repository option").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            await page.FillAsync("#backup-paths", big);
            await page.ClickAsync("#backup-button");
            await page.Locator("#command-pending code").WaitForAsync();
            Assert.Contains("--limit-upload 1024", await page.Locator("#command-pending code").TextContentAsync(), StringComparison.Ordinal);
            await page.ClickAsync("#confirm");
            // The status shows the CLI's own progress line: elapsed time, files, bytes, rate.
            var progress = page.Locator("#status", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\[\d+:\d\d\] .*files, .*B") });
            await progress.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            await Screenshot(page, "backup-progress");
            await page.ClickAsync("#stop");
            await page.Locator("#status", new PageLocatorOptions { HasTextString = "stopped" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
            Assert.Equal(0, (await _t.RunAsync("check")).ExitCode);
        }
        finally
        {
            slow.Kill(entireProcessTree: true);
            await slow.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Compare_download_prune_and_keys_match_their_command_lines()
    {
        var unique = new byte[2 << 20]; // only in the first snapshot: prune has something to do once it is forgotten
        new Random(8).NextBytes(unique);
        File.WriteAllBytes(Path.Combine(Source, "gone.bin"), unique);
        await _t.RunOkAsync("backup", Source);
        File.Delete(Path.Combine(Source, "gone.bin"));
        File.WriteAllText(Path.Combine(Source, "b.txt"), "beta");
        await _t.RunOkAsync("backup", Source);
        var page = await OpenAsync();
        await page.Locator("#snapshots tbody tr").Nth(1).WaitForAsync();

        // Compare: the newest against the one before, as 'cairn diff' says it.
        await page.ClickAsync("#diff-button");
        await page.Locator("#diff-result li").First.WaitForAsync();
        var ids = JsonDocument.Parse((await _t.RunOkAsync("snapshots", "--json")).Output).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        var diff = JsonDocument.Parse((await _t.RunOkAsync("diff", ids[0], ids[1], "--json")).Output).RootElement.EnumerateArray()
            .Select(c => $"{c.GetProperty("change").GetString()} {c.GetProperty("path").GetString()}").ToList();
        Assert.Equal(diff, await page.Locator("#diff-result li").AllTextContentsAsync());
        Assert.Contains($"+ {Source}/b.txt", diff);
        Assert.Contains($"- {Source}/gone.bin", diff);

        // Keys, as 'cairn key list' has them.
        await page.Locator("#keys tbody tr").First.WaitForAsync();
        Assert.Contains("(this one)", await page.Locator("#keys tbody tr").First.TextContentAsync(), StringComparison.Ordinal);

        // Download: the archive the page serves is the one its logged command line writes.
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("X-Cairn-Token", new Uri(_url).Query["?token=".Length..]);
        var root = new Uri(_url).GetLeftPart(UriPartial.Authority);
        var tar = await client.GetByteArrayAsync($"{root}/api/download?repository=default&target={Uri.EscapeDataString(ids[1] + ":" + Source)}&format=pax");
        var logged = File.ReadAllLines(ActionLog).Last(l => l.StartsWith("cairn ", StringComparison.Ordinal));
        Assert.EndsWith(" export " + ids[1] + ":" + Source + " --format pax -o - > src.tar", logged, StringComparison.Ordinal);
        var shellTar = _t.PathOf("shell.tar");
        Assert.Equal(0, await Shell.RunAsync("bash", "-c", logged.Replace("cairn ", $"dotnet {Path.Combine(AppContext.BaseDirectory, "cairn.dll")} ", StringComparison.Ordinal)
            .Replace("> src.tar", "> " + shellTar, StringComparison.Ordinal)));
        Assert.Equal(File.ReadAllBytes(shellTar), tar);
        var extracted = _t.PathOf("extracted");
        Directory.CreateDirectory(extracted);
        File.WriteAllBytes(_t.PathOf("gui.tar"), tar);
        Assert.Equal(0, await Shell.RunAsync("tar", "-xf", _t.PathOf("gui.tar"), "-C", extracted));
        Assert.Equal("beta", File.ReadAllText(Path.Combine(extracted, "b.txt")));

        // Prune: its plan first, then the command.
        await _t.RunOkAsync("forget", ids[0]);
        await page.ClickAsync("#prune-plan-button");
        await page.Locator("#prune-plan", new PageLocatorOptions { HasTextString = "Would delete" }).WaitForAsync();
        await Screenshot(page, "maintenance");
        await page.ClickAsync("#prune-button");
        var prune = await ConfirmAsync(page, "pruned");
        Assert.EndsWith(" prune", prune, StringComparison.Ordinal);
        Assert.Equal(0, (await _t.RunAsync("check", "--read-data")).ExitCode);
    }

    [Fact]
    public async Task A_job_made_in_the_page_is_the_job_its_command_line_makes()
    {
        var page = await OpenAsync();
        await page.Locator("#jobs tbody tr").First.WaitForAsync();
        var before = File.ReadAllText(_t.ConfigFile);
        await page.FillAsync("#job-name", "weekly");
        await page.FillAsync("#job-repository", "main");
        await page.FillAsync("#job-paths", Source);
        await page.FillAsync("#job-exclude", "*.tmp");
        await page.FillAsync("#job-before", "echo before");
        await page.FillAsync("#job-schedule", "0 3 * * 0");
        await page.FillAsync("#job-keep-weekly", "8");
        await page.ClickAsync("#job-save");
        var command = await ConfirmAsync(page, "job weekly saved");
        Assert.EndsWith($" job set weekly --repository main --path {Source} --exclude '*.tmp' --before 'echo before' --schedule '0 3 * * 0' --keep-weekly 8", command, StringComparison.Ordinal);
        await page.Locator("#jobs tbody tr", new PageLocatorOptions { HasTextString = "weekly" }).WaitForAsync();
        // Edit fills the form with what the file now says.
        await page.Locator("#jobs tbody tr", new PageLocatorOptions { HasTextString = "weekly" }).GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        Assert.Equal("echo before", await page.InputValueAsync("#job-before"));
        Assert.Equal("8", await page.InputValueAsync("#job-keep-weekly"));
        await Screenshot(page, "job-editor");
        var afterGui = File.ReadAllText(_t.ConfigFile);

        // The same line in a shell, on the file as it was, writes the same file.
        var copy = _t.PathOf("copy.toml");
        File.WriteAllText(copy, before);
        Assert.Equal(0, await RunInShellAsync(command.Replace(_t.ConfigFile, copy, StringComparison.Ordinal)));
        Assert.Equal(afterGui, File.ReadAllText(copy));
    }

    [Fact]
    public async Task The_gui_serves_https_with_a_self_signed_certificate_whose_fingerprint_it_prints()
    {
        using var secure = _t.Start(["ui", "--tls-self-signed", "--action-log", ActionLog]);
        var line = await secure.StandardOutput.ReadLineAsync() ?? "";
        try
        {
            Assert.StartsWith("Cairn GUI: https://127.0.0.1:", line, StringComparison.Ordinal);
            var url = line["Cairn GUI: ".Length..].Split("  ")[0];
            var printed = line[(line.LastIndexOf(' ') + 1)..].TrimEnd(')');
            string? seen = null;
            using var handler = new HttpClientHandler
            {
                UseCookies = false, // the second request must not ride on the first one's token cookie
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                {
                    seen = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate!.RawData));
                    return true;
                },
            };
            using var client = new HttpClient(handler);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url.Split('?')[0] + "api/repositories")).StatusCode);
            Assert.Equal(printed.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(), seen);
        }
        finally
        {
            secure.Kill(entireProcessTree: true);
            await secure.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_repository_opened_by_its_location_is_used_with_the_option_that_reads_its_password()
    {
        using var second = new TestRepository();
        await second.InitAsync();
        var other = second.Repo;
        var page = await OpenAsync();
        await page.ClickAsync("#open-repository summary");
        await page.FillAsync("#open-url", other);
        await page.FillAsync("#open-password-file", second.PasswordFile);
        await page.ClickAsync("#open-button");
        await page.Locator("#repository option", new PageLocatorOptions { HasTextString = other }).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        Assert.Contains(other, await page.Locator("#repository option:checked").TextContentAsync(), StringComparison.Ordinal);
        await page.Locator("#snapshots-empty").WaitForAsync();

        await page.FillAsync("#backup-paths", Source);
        await page.ClickAsync("#backup-button");
        var command = await ConfirmAsync(page, "saved");
        Assert.StartsWith($"cairn -r {other} --password-file {second.PasswordFile} --config {_t.ConfigFile} backup ", command, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(other, "snapshots")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")));
    }

    [Fact]
    public async Task Keys_are_added_and_removed_with_a_password_file_never_the_password()
    {
        var second = _t.PathOf("second-password");
        File.WriteAllText(second, "a second password\n");
        var page = await OpenAsync();
        await page.Locator("#keys tbody tr").First.WaitForAsync();
        await page.FillAsync("#key-password-file", second);
        await page.ClickAsync("#key-add");
        var add = await ConfirmAsync(page, "added");
        Assert.EndsWith($" key add --new-password-file {second}", add, StringComparison.Ordinal);
        Assert.DoesNotContain("a second password", File.ReadAllText(ActionLog), StringComparison.Ordinal);
        await page.Locator("#keys tbody tr").Nth(1).WaitForAsync();
        var withSecond = await RunInShellAsync($"cairn -r {_t.RepoUrl} --password-file {second} --config {_t.ConfigFile} snapshots");
        Assert.Equal(0, withSecond);

        await page.Locator("#keys tbody tr").GetByRole(AriaRole.Button, new() { Name = "Remove…" }).ClickAsync();
        var remove = await ConfirmAsync(page, "removed");
        Assert.Matches(" key remove [0-9a-f]{64}$", remove);
        Assert.Equal(12, await RunInShellAsync($"cairn -r {_t.RepoUrl} --password-file {second} --config {_t.ConfigFile} snapshots"));
    }

    private async Task<IPage> OpenAsync()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(_url);
        await page.Locator("#repository option").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Waits for the command line window to show a command, confirms it, waits for a status with <paramref name="outcome"/>, and returns the command.</summary>
    private static async Task<string> ConfirmAsync(IPage page, string outcome)
    {
        var pending = page.Locator("#command-pending code");
        await pending.WaitForAsync();
        var command = await pending.TextContentAsync() ?? "";
        await page.ClickAsync("#confirm");
        await page.Locator("#status", new PageLocatorOptions { HasTextString = outcome }).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        return command;
    }

    private static Task<int> RunInShellAsync(string command) =>
        Shell.RunAsync("bash", "-c", command.Replace("cairn ", $"dotnet {Path.Combine(AppContext.BaseDirectory, "cairn.dll")} ", StringComparison.Ordinal) + " >/dev/null");

    private string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("CAIRN_GUI_SCREENSHOTS") is { Length: > 0 } folder
            ? Path.GetFullPath(folder, RepositoryRoot.Path)
            : _t.PathOf("screenshots");

    private async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, $"{name}.png is empty");
    }
}
