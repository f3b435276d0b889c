namespace Broker.Domain;

/// <summary>Whether a provider is a public member of the federation or a commercial partner under contract.</summary>
public enum ProviderKind
{
    Member = 0,
    Partner = 1,
}
