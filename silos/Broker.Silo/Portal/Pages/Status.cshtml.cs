using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>The page for an error status under /portal (re-executed by the status code pages), keeping the status.</summary>
/// <remarks>A refused post is re-executed as a post: this page must not ask it for the anti-forgery token it may lack.</remarks>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PortalPage
{
    public string Message { get; private set; } = "";

    public void OnGet(int code)
    {
        if (code is >= 400 and <= 599)
        {
            Response.StatusCode = code;
        }

        Message = Describe(code);
    }

    public void OnPost(int code) => OnGet(code);

    private string Describe(int code) => code switch
    {
        StatusCodes.Status400BadRequest => T.Invalid400,
        StatusCodes.Status403Forbidden => T.Refused403,
        StatusCodes.Status404NotFound => T.NotFound404,
        StatusCodes.Status429TooManyRequests => T.TooMany429,
        StatusCodes.Status503ServiceUnavailable => T.Unavailable503,
        _ => T.StatusOther,
    };
}
