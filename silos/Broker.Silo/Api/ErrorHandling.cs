using Microsoft.AspNetCore.Diagnostics;

namespace Broker.Silo.Api;

/// <summary>
/// Faults become problem details too: 503 with Retry-After when the cluster cannot answer (the client
/// should retry), 500 otherwise; unknown routes and methods get the same shape as every other error.
/// </summary>
public static class ErrorHandling
{
    public static IApplicationBuilder UseBrokerErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var problem = error switch
            {
                BadHttpRequestException bad => Problems.Create(bad.StatusCode, bad.StatusCode == 413 ? "payload-too-large" : "invalid-request", "Bad request", "the request could not be read"),
                _ when IsUnavailability(error) => Problems.Unavailable("the cluster could not answer in time; retry later"),
                _ => Problems.Create(StatusCodes.Status500InternalServerError, "internal-error", "Internal error", "the broker failed; the failure was logged"),
            };
            if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "2";
            }

            await problem.ExecuteAsync(context);
        }));
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            var problem = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => Problems.NotFound($"there is no resource at {context.Request.Path}"),
                StatusCodes.Status405MethodNotAllowed => Problems.Create(405, "method-not-allowed", "Method not allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}"),
                StatusCodes.Status415UnsupportedMediaType => Problems.Create(415, "unsupported-media-type", "Unsupported media type", "send the body as application/json"),
                StatusCodes.Status413PayloadTooLarge => Problems.Create(413, "payload-too-large", "Payload too large", "the request body is too large"),
                var code => Problems.Create(code, "http-" + code, "HTTP error", $"status {code}"),
            };
            await problem.ExecuteAsync(context);
        });
        return app;
    }

    /// <summary>Whether the failure is the cluster's or its database's being out of reach (anywhere in the chain of causes).</summary>
    private static bool IsUnavailability(Exception? error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is TimeoutException
                or Orleans.Runtime.SiloUnavailableException
                or Orleans.Runtime.OrleansMessageRejectionException
                or Orleans.Runtime.ClientNotAvailableException
                or Orleans.Storage.InconsistentStateException
                or Broker.Grains.Storage.RowConflictException // another activation of the grain won a race: a retry reaches it
                or System.Data.Common.DbException
                or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
