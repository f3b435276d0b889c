using Broker.Federation;
using Broker.Grains.Federation;
using Broker.Grains.Ledger;
using Broker.Ledger;
using Broker.Requests;
using Broker.Silo.Api;

namespace Broker.Tests.Units;

public sealed class DomainRuleTests
{
    [Theory]
    [InlineData("DE-HH", "DE", true)]
    [InlineData("DE-HH", "DE-HH", true)]
    [InlineData("DE-HH", "DE-NW", false)]
    [InlineData("AT-9", "DE", false)]
    [InlineData("AT-9", "EU", true)]
    [InlineData("CH", "EU", false)]
    [InlineData("DE", "DE-HH", false)]
    public void Residency_Satisfies(string location, string requirement, bool expected) =>
        Assert.Equal(expected, Residency.Satisfies(location, requirement));

    [Theory]
    [InlineData("DE", true)]
    [InlineData("DE-NW", true)]
    [InlineData("EU", true)]
    [InlineData("de", false)]
    [InlineData("Hamburg", false)]
    [InlineData("DE-", false)]
    [InlineData("DE-ABCD", false)]
    public void Residency_ValidRequirements(string residency, bool valid) =>
        Assert.Equal(valid, Residency.IsValidRequirement(residency));

    [Theory]
    [InlineData("P30D", 30 * 24 * 60)]
    [InlineData("PT12H", 12 * 60)]
    [InlineData("P1W2D", 9 * 24 * 60)]
    [InlineData("P1DT30M", (24 * 60) + 30)]
    public void Iso8601Duration_Parses(string text, int minutes)
    {
        Assert.True(Iso8601Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("30D")]
    [InlineData("P-1D")]
    [InlineData("")]
    public void Iso8601Duration_RefusesCalendarUnitsAndGarbage(string text) =>
        Assert.False(Iso8601Duration.TryParse(text, out _));

    [Fact]
    public void CanonicalForm_IgnoresOrderOfItemsAndProviders_NoticesEveryValue()
    {
        var a = new RequestSpec
        {
            Items = [new RequestItem("storage.ssd", 5), new RequestItem("compute.vcpu", 2)],
            Constraints = new RequestConstraints { AllowProviders = ["x", "y"] },
        };
        var reordered = a with { Items = [a.Items[1], a.Items[0]], Constraints = a.Constraints with { AllowProviders = ["y", "x"] } };

        Assert.Equal(a.CanonicalForm(), reordered.CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Priority = Priority.High }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Lease = TimeSpan.FromDays(29) }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { MaxHourlyCost = 1m } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { Residency = "DE-NW" } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { ProtectionLevel = ProtectionLevel.High } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { AllowProviders = ["x"] } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { DenyProviders = ["z"] } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Constraints = a.Constraints with { MembersOnly = true } }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Splittable = true }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Items = [a.Items[0] with { Amount = 6 }, a.Items[1]] }).CanonicalForm());
        Assert.NotEqual(a.CanonicalForm(), (a with { Items = [a.Items[0]] }).CanonicalForm());

        // The same bound written with another scale (1 and 1.00) is the same request.
        var bounded = a with { Constraints = a.Constraints with { MaxHourlyCost = 1m } };
        Assert.Equal(bounded.CanonicalForm(), (a with { Constraints = a.Constraints with { MaxHourlyCost = 1.00m } }).CanonicalForm());
    }

    [Fact]
    public void UsageCharges_SpanningAMonthEnd_SplitPerPeriodAndBothLegsBalance()
    {
        var allocation = new Allocation
        {
            Tier = Tier.Federation,
            Provider = "akdb",
            Parts = [new AllocationPart("akdb-muc-1", "akdb", Tier.Federation, "storage.ssd", 500, 0.0001m)],
        };
        var from = new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

        var entries = UsageCharges.For("r-1", "hh-akademie", "dataport", allocation, from, from.AddHours(5));

        Assert.Equal(["2026-11", "2026-11", "2026-12", "2026-12"], entries.Select(e => e.Period));
        Assert.Equal(500 * 0.0001m * 5, entries.Where(e => e.Payer == Party.Tenant("hh-akademie")).Sum(e => e.Cost));
        Assert.Equal(500 * 0.0001m * 5, entries.Where(e => e.Payee == Party.Provider("akdb")).Sum(e => e.Cost));
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void UsageCharges_ServedAtHome_OnlyTheTenantLeg()
    {
        var allocation = new Allocation { Tier = Tier.Home, Provider = "dataport", Parts = [new AllocationPart("dataport-hh-1", "dataport", Tier.Home, "storage.ssd", 10, 1m)] };
        var from = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

        var entry = Assert.Single(UsageCharges.For("r-1", "t", "dataport", allocation, from, from.AddMinutes(90)));

        Assert.Equal((Party.Tenant("t"), Party.Provider("dataport"), 15m), (entry.Payer, entry.Payee, entry.Cost));
    }

    [Fact]
    public void FederationMerge_UpsertsByIdAtEveryLevelAndNeverDrops()
    {
        var current = new FederationDocument
        {
            Providers =
            [
                new ProviderDefinition
                {
                    Id = "p",
                    Name = "old",
                    DataCenters = [new DataCenterDefinition { Id = "a", Location = "DE-HH" }, new DataCenterDefinition { Id = "b", Location = "DE-HH" }],
                    Admins = [new AdminDefinition { Token = "t1" }],
                },
            ],
            Tenants = [new TenantDefinition { Id = "x", HomeProvider = "p" }],
        };
        var change = new FederationDocument
        {
            Providers =
            [
                new ProviderDefinition
                {
                    Id = "p",
                    Name = "new",
                    DataCenters = [new DataCenterDefinition { Id = "b", Location = "DE-BY" }, new DataCenterDefinition { Id = "c", Location = "DE-NW" }],
                    Admins = [new AdminDefinition { Token = "t2" }],
                },
            ],
        };

        var merged = FederationMerge.Upsert(current, change);

        var provider = Assert.Single(merged.Providers);
        Assert.Equal("new", provider.Name);
        Assert.Equal(["a:DE-HH", "b:DE-BY", "c:DE-NW"], provider.DataCenters.Select(dc => $"{dc.Id}:{dc.Location}"));
        Assert.Equal(["t1", "t2"], provider.Admins.Select(a => a.Token));
        Assert.Equal("x", Assert.Single(merged.Tenants).Id);
    }

    [Fact]
    public void FederationValidator_NamesEveryProblemByPath()
    {
        var document = new FederationDocument
        {
            Providers =
            [
                new ProviderDefinition
                {
                    Id = "p",
                    DataCenters = [new DataCenterDefinition { Id = "dc", Location = "Hamburg", Pools = [new PoolDefinition { Resource = "ssd", Total = 10, Headroom = 20 }] }],
                    Contracts = [new ContractDefinition { Partner = "nobody", Resource = "storage.ssd" }],
                },
            ],
            Tenants = [new TenantDefinition { Id = "t", HomeProvider = "missing" }],
        };

        var errors = FederationValidator.Validate(document);

        Assert.Equal(
            new[] { "providers[0].contracts[0].partner", "providers[0].dataCenters[0].location", "providers[0].dataCenters[0].pools[0]", "providers[0].dataCenters[0].pools[0].resource", "tenants[0].homeProvider" },
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DemoFederation_IsValidAndAsLargeAsPromised()
    {
        var document = await Broker.Silo.Hosting.FederationLoader.ReadAsync(Broker.Silo.Hosting.BrokerOptions.DemoFederationFile, CancellationToken.None);

        Assert.Empty(FederationValidator.Validate(document));
        var dataCenters = document.Providers.SelectMany(p => p.DataCenters).ToList();
        Assert.True(document.Providers.Count(p => p.Kind == ProviderKind.Member) >= 7);
        Assert.Contains(document.Providers, p => p.Kind == ProviderKind.Partner);
        Assert.Contains(document.Providers, p => p.Contracts.Length > 0);
        Assert.True(dataCenters.Count >= 14);
        Assert.True(dataCenters.Select(dc => dc.Location).Distinct().Count() >= 8);
        Assert.Equal(5, dataCenters.SelectMany(dc => dc.Pools).Select(p => p.Resource).Distinct().Count());
        Assert.Equal(3, dataCenters.Select(dc => dc.ProtectionLevel).Distinct().Count());
        Assert.True(document.Tenants.Length >= 20);
    }
}
