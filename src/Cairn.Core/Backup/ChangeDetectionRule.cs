namespace Cairn.Core.Backup;

/// <summary>
/// How change detection treats the paths that match a pattern (from the configuration file). A key left null
/// leaves the decision to earlier rules; a rule applies to what its pattern matches and to everything below it.
/// </summary>
/// <param name="Pattern">An exclude-style pattern (<see cref="PathPattern"/>).</param>
/// <param name="IgnoreCtime">A changed ctime alone does not make a file changed.</param>
/// <param name="IgnoreInode">A changed inode number alone does not make a file changed.</param>
/// <param name="Rehash">Read files even when their metadata is unchanged, and report silent changes.</param>
public sealed record ChangeDetectionRule(string Pattern, bool? IgnoreCtime = null, bool? IgnoreInode = null, bool? Rehash = null);
