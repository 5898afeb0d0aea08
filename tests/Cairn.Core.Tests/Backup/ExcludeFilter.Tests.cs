using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class ExcludeFilterTests
{
    private static ExcludeFilter Filter(params string[] patterns) => new(patterns, [], oneFileSystem: false);

    [Fact]
    public void IsExcluded_MatchesAnyPattern()
    {
        var filter = Filter("*.tmp", "/home/*/cache", "/srv/**/logs", "[ab]c");

        Assert.True(filter.IsExcluded("/a/b/x.tmp"u8));
        Assert.True(filter.IsExcluded("/home/u/cache"u8));
        Assert.True(filter.IsExcluded("/srv/www/site/logs"u8));
        Assert.True(filter.IsExcluded("/srv/logs"u8));
        Assert.True(filter.IsExcluded("/x/bc"u8));
        Assert.False(filter.IsExcluded("/x/home/u/cache"u8));
        Assert.False(filter.IsExcluded("/home/u/cache.txt"u8));
        Assert.False(filter.IsExcluded("/x/cc"u8));
        Assert.False(filter.IsExcluded("/"u8));
    }

    [Fact]
    public void IsExcluded_NonUtf8Name_StillMatchesWildcards()
    {
        var filter = Filter("*.tmp", "/data/*");

        Assert.True(filter.IsExcluded([.. "/a/"u8, 0xff, 0xfe, .. ".tmp"u8]));
        Assert.True(filter.IsExcluded([.. "/data/"u8, 0xff]));
        Assert.False(filter.IsExcluded([.. "/other/"u8, 0xff]));
    }

    [Fact]
    public void IsExcluded_NoPatterns_ExcludesNothing()
    {
        var filter = Filter("", "   ");

        Assert.False(filter.IsExcluded("/a/b/x.tmp"u8));
    }

    [Fact]
    public void HasMarker_DirectoryWithTheMarkerFile_IsTrue()
    {
        var filter = new ExcludeFilter([], [".nobackup", "CACHEDIR.TAG"], oneFileSystem: true);

        Assert.True(filter.OneFileSystem);
        Assert.True(filter.HasMarker(["a"u8.ToArray(), "CACHEDIR.TAG"u8.ToArray()]));
        Assert.True(filter.HasMarker([".nobackup"u8.ToArray()]));
        Assert.False(filter.HasMarker(["cachedir.tag"u8.ToArray(), ".nobackup2"u8.ToArray()]));
        Assert.False(filter.HasMarker([]));
    }

    [Fact]
    public void ReadPatternFile_SkipsCommentsAndBlankLines()
    {
        var path = Path.Combine(Path.GetTempPath(), "cairn-excludes-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(path, "# comment\n*.tmp\n\n   \n  /home/*/cache  \n#/not/this\n");

            Assert.Equal(["*.tmp", "/home/*/cache"], ExcludeFilter.ReadPatternFile(path).ToList());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadPatternFile_MissingFile_ThrowsInvalidInput()
    {
        var e = Assert.Throws<CairnException>(() => ExcludeFilter.ReadPatternFile("/nonexistent/cairn/excludes").ToList());

        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
    }
}
