using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broker.Faults.History;

namespace Broker.Faults.Workload;

/// <summary>The answer to one call, classified: ok (what the broker stored), fail (changed nothing) or unknown.</summary>
public sealed record CallResult(EventType Type, int? Status, string? Code, JsonElement? Body, string? Error);

/// <summary>
/// HTTP clients for the silos, one per silo. A call that times out or loses its connection is <c>unknown</c>;
/// so is a 5xx, since the broker may have stored something before it failed to answer.
/// </summary>
public sealed class SiloClients(IReadOnlyList<Uri> silos, TimeSpan timeout) : IDisposable
{
    /// <summary>The code of a call that found nothing listening: it never reached the broker.</summary>
    public const string ConnectionRefused = "connection-refused";

    private readonly HttpClient[] _clients = silos.Select(uri => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    { BaseAddress = uri, Timeout = timeout }).ToArray();

    public int Count => _clients.Length;

    public async Task<CallResult> SendAsync(int silo, HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            message.Content = new StringContent(JsonSerializer.Serialize(body, HistoryLog.Json), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _clients[silo].SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(text).RootElement.Clone()
                : (JsonElement?)null;
            var status = (int)response.StatusCode;
            var code = status >= 400 && json is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            var type = status switch
            {
                < 300 => EventType.Ok,
                >= 500 => EventType.Unknown,
                _ => EventType.Fail,
            };
            return new CallResult(type, status, code, json, type == EventType.Ok ? null : Shorten(text));
        }
        catch (HttpRequestException refused) when (refused.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
        {
            // Nothing listens there (the silo is down): the call never reached the broker, so it changed nothing.
            return new CallResult(EventType.Fail, null, ConnectionRefused, null, Shorten(refused.Message));
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
        {
            return new CallResult(EventType.Unknown, null, null, null, $"{error.GetType().Name}: {Shorten(error.Message)}");
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300];
}
