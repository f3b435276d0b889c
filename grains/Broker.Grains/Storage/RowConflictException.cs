using System.Globalization;

namespace Broker.Grains.Storage;

/// <summary>
/// A commit was refused because a row was not at the version it expected: another writer — another activation of the
/// same grain, during a membership change — got there first. Serializable, so that it reaches a caller on another silo
/// as itself (an exception Orleans cannot serialize is never answered, and its caller waits out the response timeout).
/// </summary>
[GenerateSerializer, Alias("broker.row-conflict")]
public sealed class RowConflictException : Exception
{
    public RowConflictException()
    {
    }

    public RowConflictException(RowKey key, long? expected, long? stored)
        : base($"row {key} is at version {Describe(stored, "none")}, expected {Describe(expected, "any")}") => Key = key;

    /// <summary>The row whose version did not hold: whose race it was.</summary>
    [Id(0)]
    public RowKey Key { get; private set; }

    private static string Describe(long? version, string absent) => version?.ToString(CultureInfo.InvariantCulture) ?? absent;
}
