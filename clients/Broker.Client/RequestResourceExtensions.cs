using Broker.Contracts;

namespace Broker.Client;

public static class RequestResourceExtensions
{
    extension(RequestResource request)
    {
        /// <summary>Whether the broker has decided (anything but <see cref="RequestState.Negotiating"/>).</summary>
        public bool IsDecided => request.State != RequestState.Negotiating;
    }
}
