using System.Text.Json;
using Cairn.Core.Prune;
using Cairn.Core.Repository;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn prune</c>: what it frees, what it leaves for operations still running, and what a backup that used doomed packs keeps.</summary>
public sealed class PruneTests : IDisposable
{
    private readonly TestRepository _t = new();

    public void Dispose() => _t.Dispose();

    private string Source(string name, int files, int seed)
    {
        var source = _t.PathOf(name);
        Directory.CreateDirectory(source);
        var random = new Random(seed);
        var data = new byte[1 << 20];
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{i}"), data);
        }
        return source;
    }

    private async Task<Repo> OpenAsync()
    {
        var password = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(_t.PasswordFile).TrimEnd('\n'));
        return await Repo.OpenAsync(new Cairn.Storage.LocalStorage(_t.Repo), password);
    }

    private async Task<List<string>> SnapshotIdsAsync() =>
        [.. JsonDocument.Parse((await _t.RunOkAsync("--json", "snapshots")).Output).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private async Task RestoresAsAsync(string snapshot, string source)
    {
        var target = _t.PathOf("restored-" + Guid.NewGuid().ToString("N")[..8]);
        await _t.RunOkAsync("restore", $"{snapshot}:{source}", "--target", target, "--verify");
        TreeAssert.Same(source, target, compareOwners: false);
        Directory.Delete(target, recursive: true);
    }

    private string[] PendingNotes() => Directory.Exists(Path.Combine(_t.Repo, "pending"))
        ? [.. Directory.GetFiles(Path.Combine(_t.Repo, "pending")).Where(f => !Path.GetFileName(f).StartsWith('.'))]
        : [];

    /// <summary>
    /// Two snapshots of one source, the older forgotten after half its files changed; the first backup's packs go
    /// into <paramref name="firstPacks"/> when given.
    /// </summary>
    private async Task<string> SourceWithAForgottenPastAsync(List<string>? firstPacks = null)
    {
        await _t.InitAsync();
        var source = Source("source", 8, 1);
        await _t.RunOkAsync("backup", source);
        firstPacks?.AddRange(RepositoryFiles.Packs(_t.Repo));
        var random = new Random(2);
        var data = new byte[1 << 20];
        for (var i = 0; i < 4; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, $"file{i}"), data);
        }
        await _t.RunOkAsync("backup", source);
        await _t.RunOkAsync("forget", "--keep-last", "1");
        return source;
    }

    /// <summary>
    /// Backs up 'old', then something else, and forgets the first snapshot; returns 'old' and a copy of the
    /// forgotten snapshot, which a backup that found all of 'old' in its index would store.
    /// </summary>
    private async Task<(string Old, Cairn.Core.Snapshots.Snapshot Copy)> ForgottenSnapshotAndItsCopyAsync()
    {
        await _t.InitAsync();
        var old = Source("old", 6, 3);
        await _t.RunOkAsync("backup", old);
        await _t.RunOkAsync("backup", Source("base", 1, 4));
        var forgotten = (await SnapshotIdsAsync())[0];
        Cairn.Core.Snapshots.Snapshot copy;
        await using (var reader = await OpenAsync())
            copy = await reader.LoadSnapshotAsync(new Cairn.Core.Format.SnapshotId(Cairn.Core.Format.Digest.Parse(forgotten))) with { Time = DateTimeOffset.UtcNow };
        await _t.RunOkAsync("forget", forgotten);
        return (old, copy);
    }

    [Fact]
    public async Task Prune_after_forget_frees_the_space_and_the_kept_snapshot_restores()
    {
        var source = await SourceWithAForgottenPastAsync();
        var before = RepositoryFiles.Fingerprint(_t.Repo);
        var packsBefore = RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length);

        var dry = await _t.RunOkAsync("prune", "--dry-run");
        Assert.Contains("would delete", dry.Output, StringComparison.Ordinal);
        Assert.Equal(before, RepositoryFiles.Fingerprint(_t.Repo));

        var prune = await _t.RunOkAsync("prune", "--max-unused", "0");
        Assert.Contains("deleted", prune.Output, StringComparison.Ordinal);
        var packsAfter = RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length);
        Assert.True(packsAfter < packsBefore - 3_500_000, $"{packsBefore} bytes of packs before prune, {packsAfter} after: the four replaced MiB are still there");
        Assert.Empty(PendingNotes());

        var check = await _t.RunOkAsync("check", "--read-data");
        Assert.DoesNotContain("unused:", check.Output, StringComparison.Ordinal);
        await RestoresAsAsync("latest", source);
        Assert.Contains("nothing to prune", (await _t.RunOkAsync("prune")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_json_reports_the_plan_and_what_was_deleted()
    {
        await SourceWithAForgottenPastAsync();
        var dry = JsonDocument.Parse((await _t.RunOkAsync("--json", "prune", "--dry-run", "--max-unused", "0")).Output).RootElement;
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.True(dry.GetProperty("freed_bytes").GetInt64() > 3_500_000, dry.ToString());
        Assert.Equal(0, dry.GetProperty("packs_deleted").GetInt32());

        var run = JsonDocument.Parse((await _t.RunOkAsync("--json", "prune", "--max-unused", "0")).Output).RootElement;
        var planned = run.GetProperty("delete_packs").GetArrayLength() + run.GetProperty("repack_packs").GetArrayLength();
        Assert.True(planned > 0, run.ToString());
        Assert.Equal(planned, run.GetProperty("packs_deleted").GetInt32());
        Assert.Equal(0, run.GetProperty("notes_waiting").GetInt32());
    }

    [Fact]
    public async Task Overwrite_freed_leaves_zeros_where_the_deleted_packs_were()
    {
        await SourceWithAForgottenPastAsync();
        // Hard links keep the packs' blocks reachable after prune deletes their names.
        var links = _t.PathOf("links");
        Directory.CreateDirectory(links);
        var linked = new Dictionary<string, string>();
        foreach (var pack in RepositoryFiles.Packs(_t.Repo))
        {
            var link = Path.Combine(links, Path.GetFileName(pack));
            Assert.Equal(0, await Shell.RunAsync("ln", pack, link));
            linked[pack] = link;
        }

        await _t.RunOkAsync("prune", "--max-unused", "0", "--overwrite-freed");

        var deleted = linked.Where(p => !File.Exists(p.Key)).ToList();
        Assert.NotEmpty(deleted);
        foreach (var (_, link) in deleted)
            Assert.True(File.ReadAllBytes(link).All(b => b == 0), $"{link} still holds data");
        foreach (var (pack, link) in linked.Where(p => File.Exists(p.Key)))
            Assert.Contains(File.ReadAllBytes(link), b => b != 0);
        await _t.RunOkAsync("check", "--read-data");
    }

    [Fact]
    public async Task Overwrite_freed_asked_of_a_prune_that_had_to_wait_is_done_by_the_prune_that_deletes()
    {
        await SourceWithAForgottenPastAsync();
        var links = _t.PathOf("links");
        Directory.CreateDirectory(links);
        var linked = new Dictionary<string, string>();
        foreach (var pack in RepositoryFiles.Packs(_t.Repo))
        {
            linked[pack] = Path.Combine(links, Path.GetFileName(pack));
            Assert.Equal(0, await Shell.RunAsync("ln", pack, linked[pack]));
        }
        await using (var repository = await OpenAsync())
        {
            await using var restoreRunning = await repository.LockAsync(exclusive: false, "restore");
            await _t.RunOkAsync("prune", "--max-unused", "0", "--overwrite-freed");
        }
        await _t.RunOkAsync("prune");
        var deleted = linked.Where(p => !File.Exists(p.Key)).ToList();
        Assert.NotEmpty(deleted);
        foreach (var (_, link) in deleted)
            Assert.True(File.ReadAllBytes(link).All(b => b == 0), $"{link} still holds data");
    }

    [Fact]
    public async Task A_pack_left_all_zeros_by_a_prune_killed_before_deleting_it_is_deleted_by_the_next()
    {
        var source = await SourceWithAForgottenPastAsync();
        await using var repository = await OpenAsync();
        await using (var restoreRunning = await repository.LockAsync(exclusive: false, "restore"))
            await _t.RunOkAsync("prune", "--max-unused", "0", "--overwrite-freed");
        var (_, note) = Assert.Single(await repository.LoadDeletionNotesAsync());
        var named = note.Packs.Select(p => Path.Combine(_t.Repo, "data", p[..2], p)).Where(File.Exists).OrderBy(p => new FileInfo(p).Length).ToList();
        Assert.True(named.Count >= 2, $"{named.Count} packs noted");
        // The killed prune had overwritten the largest; the smallest is damaged otherwise, and may still hold data.
        var zeroed = named[^1];
        var damaged = named[0];
        File.WriteAllBytes(zeroed, new byte[new FileInfo(zeroed).Length]);
        var garbage = new byte[new FileInfo(damaged).Length];
        new Random(5).NextBytes(garbage);
        File.WriteAllBytes(damaged, garbage);

        await _t.RunOkAsync("prune", "--max-unused", "0");

        Assert.False(File.Exists(zeroed), $"{RepositoryFiles.RelativeName(_t.Repo, zeroed)}, all zeros, outlived its note");
        Assert.True(File.Exists(damaged), $"{RepositoryFiles.RelativeName(_t.Repo, damaged)}, unreadable but not zeros, was deleted");
        Assert.Empty(PendingNotes());
        File.Delete(damaged);
        await _t.RunOkAsync("check", "--read-data");
        await RestoresAsAsync("latest", source);
    }

    [Fact]
    public async Task A_second_prune_stops_with_exit_code_11()
    {
        await SourceWithAForgottenPastAsync();
        await using var repository = await OpenAsync();
        await using var held = await repository.LockAsync(exclusive: false, "prune");
        var run = await _t.RunAsync("prune");
        Assert.True(run.ExitCode == 11, run.ToString());
        Assert.Contains("another prune is running", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_limits_are_usage_errors()
    {
        await _t.InitAsync();
        foreach (var args in new[] { new[] { "prune", "--max-unused", "150%" }, ["prune", "--max-unused", "lots"], ["prune", "--max-repack-size", "-1"] })
        {
            var run = await _t.RunAsync(args);
            Assert.True(run.ExitCode == 2, run.ToString());
        }
    }

    [Fact]
    public async Task Packs_leave_the_index_at_once_and_the_disk_once_running_operations_have_ended()
    {
        var source = await SourceWithAForgottenPastAsync();
        var packsBefore = RepositoryFiles.Packs(_t.Repo).Count;
        var bytesBefore = RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length);
        var kept = (await SnapshotIdsAsync()).Single();
        await using (var repository = await OpenAsync())
        {
            await using var restoreRunning = await repository.LockAsync(exclusive: false, "restore");
            var prune = await _t.RunOkAsync("prune", "--max-unused", "0");
            Assert.Contains("deleted by the next prune", prune.Output, StringComparison.Ordinal);
            Assert.Contains($"restore (PID {Environment.ProcessId} on ", prune.Output, StringComparison.Ordinal);
            Assert.Single(PendingNotes());
            Assert.True(RepositoryFiles.Packs(_t.Repo).Count >= packsBefore, "packs were deleted while an operation that may read them runs");

            var check = await _t.RunOkAsync("check", "--read-data");
            Assert.Contains("awaiting deletion:", check.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("orphaned", check.Output, StringComparison.Ordinal);
            // A backup meanwhile does not index the doomed packs as orphans.
            var backup = JsonDocument.Parse((await _t.RunOkAsync("--json", "backup", Source("other", 1, 9))).Output).RootElement;
            Assert.Equal(0, backup.GetProperty("recovered_packs").GetInt32());
            await _t.RunOkAsync("prune", "--max-unused", "0");
            Assert.Single(PendingNotes());
        }
        var last = await _t.RunOkAsync("prune", "--max-unused", "0");
        Assert.Contains("deleted", last.Output, StringComparison.Ordinal);
        Assert.Empty(PendingNotes());
        var after = await _t.RunOkAsync("check", "--read-data");
        Assert.DoesNotContain("awaiting deletion", after.Output, StringComparison.Ordinal);
        var bytesAfter = RepositoryFiles.Packs(_t.Repo).Sum(p => new FileInfo(p).Length);
        Assert.True(bytesAfter < bytesBefore - 2_500_000, $"{bytesBefore} bytes of packs before, {bytesAfter} after (with 1 MiB added)");
        await RestoresAsAsync(kept, source);
    }

    [Fact]
    public async Task A_noted_pack_whose_blobs_are_found_first_in_a_missing_pack_is_not_deleted()
    {
        // The first backup's pack ends up half used: a waiting prune copies its used half into a new pack and
        // notes the old one. The new pack is then lost; the old one holds the only copy left of that half.
        var firstPacks = new List<string>();
        var source = await SourceWithAForgottenPastAsync(firstPacks);
        var noted = firstPacks.MaxBy(p => new FileInfo(p).Length)!; // its data pack (the other holds its trees)
        var beforePrune = RepositoryFiles.Packs(_t.Repo);
        await using (var repository = await OpenAsync())
        {
            await using var restoreRunning = await repository.LockAsync(exclusive: false, "restore");
            await _t.RunOkAsync("prune", "--max-unused", "0");
        }
        var copies = RepositoryFiles.Packs(_t.Repo).Except(beforePrune).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
            File.Delete(copy);

        var prune = await _t.RunAsync("prune", "--max-unused", "0");

        // The prune either stops at the missing pack, keeping the noted one, or takes the noted pack's copies as
        // the ones to keep (and repacks them): either way the data in use is still stored.
        if (prune.ExitCode != 0)
        {
            Assert.Contains("missing", prune.Error, StringComparison.Ordinal);
            Assert.True(File.Exists(noted), $"{RepositoryFiles.RelativeName(_t.Repo, noted)}, the only copy left of data in use, was deleted");
        }
        await _t.RunOkAsync("repair", "index");
        await RestoresAsAsync("latest", source);
    }

    [Fact]
    public async Task A_pack_two_notes_name_stays_until_the_later_note_may_finish()
    {
        // A pack indexed again and doomed again is named by two notes; the older one finishing first must leave it
        // to the later one, whose operations may have used it. The later note is written here directly.
        await SourceWithAForgottenPastAsync();
        await using var repository = await OpenAsync();
        var first = await repository.LockAsync(exclusive: false, "restore");
        await _t.RunOkAsync("prune", "--max-unused", "0");
        var (_, older) = Assert.Single(await repository.LoadDeletionNotesAsync());
        var named = older.Packs.Select(p => Path.Combine(_t.Repo, "data", p[..2], p)).Where(File.Exists).ToList();
        Assert.NotEmpty(named);
        var second = await repository.LockAsync(exclusive: false, "backup");
        await repository.WriteDeletionNoteAsync(new Cairn.Storage.ObjectName(Cairn.Storage.ObjectKind.Pending, Repo.NewRandomName()),
            new DeletionNote { Created = DateTimeOffset.UtcNow, Packs = older.Packs, Ready = true, WaitFor = [second.Name.Name] });
        await first.DisposeAsync();

        await _t.RunOkAsync("prune", "--max-unused", "0");

        Assert.All(named, pack => Assert.True(File.Exists(pack), $"{RepositoryFiles.RelativeName(_t.Repo, pack)} was deleted while a note naming it still waits"));
        Assert.Single(PendingNotes());
        await second.DisposeAsync();
        await _t.RunOkAsync("prune", "--max-unused", "0");
        Assert.All(named, pack => Assert.False(File.Exists(pack), $"{RepositoryFiles.RelativeName(_t.Repo, pack)} outlived both notes"));
        Assert.Empty(PendingNotes());
        await _t.RunOkAsync("check", "--read-data");
    }

    [Fact]
    public async Task A_snapshot_stored_while_a_prune_looks_again_may_use_packs_an_earlier_waiting_note_holds()
    {
        var (old, copy) = await ForgottenSnapshotAndItsCopyAsync();

        await using var backup = await OpenAsync();
        await using (var backupLock = await backup.LockAsync(exclusive: false, "backup"))
        {
            // A backup that loaded the index before the first prune, whose note waits for it; a second prune has
            // work of its own, and the backup stores its snapshot (using the first note's packs) while that prune
            // looks for snapshots stored since it started.
            await _t.RunOkAsync("prune", "--max-unused", "0");
            await _t.RunOkAsync("backup", Source("third", 1, 5));
            // Forgotten as forget would (which must wait for the backup's lock): its snapshot file removed.
            var third = (await SnapshotIdsAsync())[^1];
            File.Delete(Directory.GetFiles(Path.Combine(_t.Repo, "snapshots")).Single(f => Path.GetFileName(f) == third));
            await using var pruning = await OpenAsync();
            await Cairn.Commands.Prune.PruneHandler.RunAsync(pruning, new PruneOptions { MaxUnused = PruneLimit.Parse("0", Cairn.Commands.Units.ParseSize) }, step =>
            {
                if (step.StartsWith("looking for packs", StringComparison.Ordinal))
                    backup.SaveSnapshotAsync(copy with { Time = DateTimeOffset.UtcNow }).GetAwaiter().GetResult();
            });
        }
        await _t.RunOkAsync("prune", "--max-unused", "0");
        await _t.RunOkAsync("prune", "--max-unused", "0");
        Assert.Empty(PendingNotes());
        await _t.RunOkAsync("check", "--read-data");
        await RestoresAsAsync("latest", old);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_backup_that_deduplicated_against_packs_prune_took_out_keeps_them(bool backupIndexesThemAgain)
    {
        var (old, copy) = await ForgottenSnapshotAndItsCopyAsync();

        await using (var backup = await OpenAsync())
        {
            // A backup that loaded the index before the prune and finds all of 'old' there.
            await using var backupLock = await backup.LockAsync(exclusive: false, "backup");
            await backup.LoadIndexAsync();
            var prune = await _t.RunOkAsync("prune", "--max-unused", "0");
            Assert.Contains("deleted by the next prune", prune.Output, StringComparison.Ordinal);

            var snapshot = copy with { Time = DateTimeOffset.UtcNow };
            await backup.SaveSnapshotAsync(snapshot);
            if (backupIndexesThemAgain)
            {
                Assert.True(await NotedPacks.KeepThoseUsedByAsync(backup, snapshot) > 0);
                await RestoresAsAsync("latest", old);
            }
            // Either way the snapshot's data is stored: check finds it, in the index or in the noted packs.
            await _t.RunOkAsync("check", "--read-data");
        }
        var finish = await _t.RunOkAsync("prune", "--max-unused", "0");
        if (!backupIndexesThemAgain)
            Assert.Contains("kept", finish.Output, StringComparison.Ordinal);
        Assert.Empty(PendingNotes());
        await _t.RunOkAsync("check", "--read-data");
        await RestoresAsAsync("latest", old);
    }
}
