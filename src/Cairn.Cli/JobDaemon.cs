using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Commands.Configuration;
using Cairn.Commands.Jobs;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn daemon</c>: runs every scheduled job when it is due, at most one job per repository at a time (a job
/// due while its repository is busy waits its turn; one due again while still running is not doubled). Each run
/// is logged and recorded like <c>cairn run</c>; a failed job leaves the daemon running. SIGHUP reloads the
/// configuration (a broken file is reported and the old one kept); SIGTERM or SIGINT stops it once running jobs end
/// (they are interrupted and stop cleanly).
/// </summary>
internal sealed class JobDaemon(Func<CairnConfiguration> load, TextWriter log)
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly List<string> _waiting = [];
    private Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private CairnConfiguration _configuration = CairnConfiguration.Empty;
    private volatile bool _reload;

    public async Task RunAsync(CancellationToken stop)
    {
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            _reload = true;
            _wake.Release();
        });
        Load(first: true);
        if (Core.Platform.Posix.IsSignalIgnored(Core.Platform.Posix.SigHup))
            Log("SIGHUP is ignored (started under nohup?): this daemon cannot be told to reload; restart it after editing the configuration");
        while (!stop.IsCancellationRequested)
        {
            if (_reload)
            {
                _reload = false;
                Load(first: false);
            }
            var now = DateTimeOffset.Now;
            foreach (var job in _configuration.Jobs.Where(j => _due.TryGetValue(j.Name, out var at) && at <= now).ToList())
            {
                _due[job.Name] = job.Schedule!.Next(now) ?? DateTimeOffset.MaxValue;
                if (_waiting.Contains(job.Name) || IsRunning(job.Name))
                    Log($"job {job.Name} is due but has not finished its last run; skipped");
                else
                    _waiting.Add(job.Name);
            }
            StartWaiting(stop);
            var next = _due.Count == 0 ? now.AddMinutes(1) : _due.Values.Min();
            var delay = next - DateTimeOffset.Now;
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : delay;
            try
            {
                await _wake.WaitAsync(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Task[] running;
        lock (_running)
            running = [.. _running.Values];
        Log(running.Length == 0 ? "stopping" : $"stopping: waiting for {running.Length} running job(s) to stop");
        await Task.WhenAll(running).ConfigureAwait(false);
        Log("stopped");
    }

    private void Load(bool first)
    {
        try
        {
            _configuration = load();
        }
        catch (Exception e) when (e is Core.CairnException or IOException)
        {
            if (first)
                throw;
            Log($"configuration not reloaded, the old one stays: {e.Message}");
            return;
        }
        var now = DateTimeOffset.Now;
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var job in _configuration.Jobs.Where(j => j.Schedule is not null))
            due[job.Name] = _due.TryGetValue(job.Name, out var kept) && !first ? kept : job.Schedule!.Next(now) ?? DateTimeOffset.MaxValue;
        _due = due;
        _waiting.RemoveAll(name => !due.ContainsKey(name));
        Log($"{(first ? "started" : "configuration reloaded")}: {_configuration.File ?? "no configuration file"}, {due.Count} scheduled job(s)"
            + string.Concat(due.Select(d => $"; {d.Key} next at {d.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}")));
    }

    private void StartWaiting(CancellationToken stop)
    {
        foreach (var name in _waiting.ToList())
        {
            var job = _configuration.Jobs.First(j => j.Name == name);
            bool busy;
            lock (_running)
                busy = _running.Keys.Any(running => _configuration.Jobs.FirstOrDefault(j => j.Name == running)?.Repository == job.Repository);
            if (busy)
                continue;
            _waiting.Remove(name);
            var configuration = _configuration;
            var started = new TaskCompletionSource();
            var run = Task.Run(async () =>
            {
                await started.Task.ConfigureAwait(false);
                try
                {
                    await RunOneAsync(configuration, name, stop).ConfigureAwait(false);
                }
                finally
                {
                    lock (_running)
                        _running.Remove(name);
                    _wake.Release();
                }
            }, CancellationToken.None);
            lock (_running)
                _running[name] = run;
            started.SetResult(); // registered before it can end and remove itself
        }
    }

    private bool IsRunning(string name)
    {
        lock (_running)
            return _running.ContainsKey(name);
    }

    private async Task RunOneAsync(CairnConfiguration configuration, string name, CancellationToken stop)
    {
        Log($"job {name} started");
        try
        {
            var plan = JobPlan.For(configuration, name);
            var record = await JobRunner.RunAsync(plan, new JobLogWriter(log, name), new JobLogWriter(log, name), stop).ConfigureAwait(false);
            await new JobStateFile(configuration.JobStateFile ?? JobStateFile.DefaultPath()).SaveAsync(record).ConfigureAwait(false);
            Log($"job {name} {record.Status} after {Humanize.Duration(record.Duration)}"
                + (record.Snapshot is { } s ? $", snapshot {s[..8]}" : "") + (record.Message is { } m ? $": {m}" : ""));
        }
        catch (OperationCanceledException)
        {
            Log($"job {name} interrupted");
        }
        catch (Exception e)
        {
            Log($"job {name} failed: {e.Message}");
        }
    }

    private void Log(string line)
    {
        lock (log)
            log.WriteLine($"{DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)} {line}");
    }
}
