using System.Xml.Linq;
using Broker.Client;
using Broker.Contracts;

namespace Broker.Tests.Units;

/// <summary>The wire records come without Orleans: a client of the broker needs nothing of the cluster's side.</summary>
public sealed class ContractsAssemblyTests
{
    [Fact]
    public void BrokerContracts_ProjectReferencesNothing_AssemblyOnlyTheRuntime()
    {
        var project = XDocument.Load(Path.Combine(RepoPaths.Root, "contracts", "Broker.Contracts", "Broker.Contracts.csproj"));
        var references = typeof(RequestResource).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(project.Descendants(), e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "Reference");
        Assert.All(references, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal), $"Broker.Contracts references {name}"));
    }

    [Fact]
    public void BrokerClient_ReferencesNoOrleansAndNoGrains()
    {
        var references = typeof(BrokerClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.Contains("Broker.Contracts", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal) || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name is "Broker.Abstractions" or "Broker.Grains" or "Broker.Silo");
    }
}
