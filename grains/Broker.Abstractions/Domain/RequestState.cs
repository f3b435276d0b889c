namespace Broker.Domain;

/// <summary>The life of a request. Allocated may move on to Released or Expired; Rejected, Released and Expired are terminal.</summary>
public enum RequestState
{
    /// <summary>No request exists under this id (the grain's empty state).</summary>
    None = 0,
    Negotiating = 1,
    Allocated = 2,
    Released = 3,
    Expired = 4,
    Rejected = 5,
}
