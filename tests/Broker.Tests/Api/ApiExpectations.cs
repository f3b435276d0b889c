using System.Text;
using System.Text.Json;

namespace Broker.Tests.Api;

/// <summary>One call and what it must answer: the status, and for errors a problem document with a stable code.</summary>
internal static class ApiExpectations
{
    /// <remarks>
    /// A large body is sent only after the server's "100 Continue": one the server refuses by its length alone (413) is then
    /// never written into a connection the server has already answered and closed (a CI run got a broken pipe, not the answer).
    /// </remarks>
    public static async Task<JsonElement> ExpectAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode status, string? code = null, string contentType = "application/json")
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.ExpectContinue = body is string { Length: > 64 * 1024 };
        if (body is string raw)
        {
            message.Content = new StringContent(raw, Encoding.UTF8, contentType);
        }
        else if (body is not null)
        {
            message.Content = Json.Content(body);
        }

        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (code is not null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal((code, (int)status), (problem.GetProperty("code").GetString(), problem.GetProperty("status").GetInt32()));
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
            Assert.Equal($"/problems/{code}", problem.GetProperty("type").GetString());
        }

        return text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.Contains("json") != true ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
