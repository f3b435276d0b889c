using Broker.Grains.Federation;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Broker.Silo.Portal;

/// <summary>What every portal page has: its texts, the signed-in principal, and the problem the API answered, if any.</summary>
public abstract class PortalPage : PageModel
{
    public PortalText T => PortalText.Current;

    /// <summary>The signed-in principal, or null on the pages anyone may open.</summary>
    public Principal? Caller => User.TryCaller();

    /// <summary>What the API refused; the page shows it and answers with its status.</summary>
    public PortalProblem? Problem { get; private set; }

    /// <summary>What an action just did (<see cref="Notices"/>), carried through its redirect; anything else in the link is ignored.</summary>
    [FromQuery(Name = "done")]
    public string? Done { get; set; }

    public string? Notice => Done switch
    {
        Notices.Renewed => T.Renewed,
        Notices.Released => T.Released,
        Notices.PoolChanged => T.PoolChanged,
        Notices.PoolAdded => T.PoolAdded,
        _ => null,
    };

    /// <summary>Reads an API handler's answer; on a problem remembers it and sets the page's status to the API's.</summary>
    protected bool Read<TValue>(IResult answer, out TValue value)
    {
        if (ApiAnswer.TryValue(answer, out value, out var problem))
        {
            return true;
        }

        Problem = problem;
        Response.StatusCode = problem!.Status;
        return false;
    }

    /// <summary>A redirect to <paramref name="url"/> with one of the <see cref="Notices"/> to show there (post, redirect, get: a reload repeats nothing).</summary>
    protected RedirectResult RedirectWithNotice(string url, string notice) =>
        Redirect(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "done=" + Uri.EscapeDataString(notice));
}

/// <summary>The notices a page shows after an action; a link names one by key, never by its text.</summary>
public static class Notices
{
    public const string Renewed = "renewed";
    public const string Released = "released";
    public const string PoolChanged = "pool-changed";
    public const string PoolAdded = "pool-added";
}
