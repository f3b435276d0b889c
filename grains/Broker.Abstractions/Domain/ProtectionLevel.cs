namespace Broker.Domain;

/// <summary>BSI-style protection levels, ordered: a data center accredited for a level serves every lower one.</summary>
public enum ProtectionLevel
{
    Normal = 0,
    High = 1,
    VeryHigh = 2,
}
