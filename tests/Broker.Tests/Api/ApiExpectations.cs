using System.Text;
using System.Text.Json;

namespace Broker.Tests.Api;

/// <summary>One call and what it must answer: the status, and for errors a problem document with a stable code.</summary>
internal static class ApiExpectations
{
    public static async Task<JsonElement> ExpectAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode status, string? code = null, string contentType = "application/json")
    {
        using var message = new HttpRequestMessage(method, path);
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
