namespace Broker.Faults.History;

/// <summary>
/// What a create asked for, in the fields the fault run varies; <see cref="Matches"/> tells whether a request the
/// broker shows is this body (defaults filled in by the broker are compared as the broker documents them).
/// </summary>
public sealed record BodySpec(ItemSpec[] Items, string Lease, bool Splittable, string Priority, string? Residency, string? ProtectionLevel)
{
    public bool Matches(SpecView spec) =>
        spec.Items.Length == Items.Length
        && spec.Items.Zip(Items).All(p => p.First.Resource == p.Second.Resource && p.First.Amount == p.Second.Amount)
        && spec.Lease == Lease
        && spec.Splittable == Splittable
        && spec.Priority == Priority
        && spec.Residency == (Residency ?? "DE")
        && spec.ProtectionLevel == (ProtectionLevel ?? "normal");

    /// <summary>The JSON body of <c>POST /v1/requests</c>.</summary>
    public object ToJson() => new
    {
        items = Items.Select(i => new { resource = i.Resource, amount = i.Amount }),
        lease = Lease,
        splittable = Splittable,
        priority = Priority,
        constraints = new { residency = Residency, protectionLevel = ProtectionLevel },
    };
}

public sealed record ItemSpec(string Resource, long Amount);
