using System.Reflection;

namespace Cairn.Cli.Tests;

/// <summary>Keeps the layering of DESIGN.md true: dependencies point down only, and backup and restore see role interfaces, never the store.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Storage = typeof(Cairn.Storage.IStorage).Assembly;
    private static readonly Assembly Sftp = typeof(Cairn.Storage.Sftp.SftpStorage).Assembly;
    private static readonly Assembly S3 = typeof(Cairn.Storage.S3.S3Storage).Assembly;
    private static readonly Assembly Rest = typeof(Cairn.Storage.Rest.RestStorage).Assembly;
    private static readonly Assembly Server = typeof(Cairn.Server.RepositoryServer).Assembly;
    private static readonly Assembly Core = typeof(Cairn.Core.CairnException).Assembly;
    private static readonly Assembly Commands = typeof(Cairn.Commands.ExitCodes).Assembly;
    private static readonly Assembly Cli = typeof(CliApp).Assembly;

    [Fact]
    public void ProjectsDependOnlyOnTheLayersBelow()
    {
        Assert.Empty(CairnReferences(Storage));
        Assert.Equal(["Cairn.Storage"], CairnReferences(Sftp)); // each remote store on the storage layer alone
        Assert.Equal(["Cairn.Storage"], CairnReferences(S3));
        Assert.Equal(["Cairn.Storage"], CairnReferences(Rest));
        Assert.Equal(["Cairn.Storage"], CairnReferences(Server)); // the server stores objects; it knows no keys
        Assert.Equal(["Cairn.Storage"], CairnReferences(Core));
        Assert.Equal(["Cairn.Core", "Cairn.Storage", "Cairn.Storage.Rest", "Cairn.Storage.S3", "Cairn.Storage.Sftp"], CairnReferences(Commands));
        Assert.DoesNotContain(CairnReferences(Cli), n => n is not ("Cairn.Commands" or "Cairn.Core" or "Cairn.Storage" or "Cairn.Server"));
    }

    [Theory]
    [InlineData("Cairn.Core.Backup")]
    [InlineData("Cairn.Core.Restore")]
    [InlineData("Cairn.Core.Chunking")]
    [InlineData("Cairn.Core.Trees")]
    [InlineData("Cairn.Core.Archive")]
    public void PipelineCodeWorksAgainstRoleInterfacesNotTheStoreOrTheRepository(string ns)
    {
        var forbidden = new[] { typeof(Cairn.Storage.IStorage), typeof(Cairn.Core.Repository.Repository) };
        var types = Core.GetTypes().Where(t => t.Namespace == ns).ToList();
        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var used = type.GetFields(all).Select(f => f.FieldType)
                .Concat(type.GetConstructors(all).SelectMany(c => c.GetParameters()).Select(p => p.ParameterType))
                .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
            foreach (var t in used)
                Assert.False(forbidden.Contains(t), $"{type.FullName} uses {t.Name}; give it a role interface (IBlobLoader, IBlobSaver) instead");
        }
    }

    private static List<string> CairnReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Cairn.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
