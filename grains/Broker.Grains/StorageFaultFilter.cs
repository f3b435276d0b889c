using System.Data.Common;
using System.Net.Sockets;

namespace Broker.Grains;

/// <summary>
/// Turns a database failure inside any grain call into a <see cref="StorageUnavailableException"/>:
/// driver exceptions have no Orleans codec, so they would otherwise reach a caller on another silo as a
/// serialization error instead of "the database is unavailable".
/// </summary>
public sealed class StorageFaultFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception error) when (IsStorageFault(error))
        {
            throw new StorageUnavailableException($"the database is unavailable ({error.GetType().Name}: {error.Message})");
        }
    }

    private static bool IsStorageFault(Exception error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is DbException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
