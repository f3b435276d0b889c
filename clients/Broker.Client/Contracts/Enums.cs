namespace Broker.Client;

// The closed sets of the v1 contract. Open-ended codes (rejection reasons, trace outcomes) stay strings,
// so that a client built today still reads answers of a broker that learned a new code.

public enum ProtectionLevel
{
    Normal,
    High,
    VeryHigh,
}

public enum Priority
{
    Normal,
    High,
}

public enum RequestState
{
    Negotiating,
    Allocated,
    Released,
    Expired,
    Rejected,
}

public enum Tier
{
    Home,
    Federation,
    Partner,
}

public enum ProviderKind
{
    Member,
    Partner,
}

public enum PartyKind
{
    Provider,
    Tenant,
}
