using System.Text.RegularExpressions;
using Broker.Silo.Hosting;

namespace Broker.Tests.Cluster;

/// <summary>
/// The silos of a cluster share one data protection key ring in PostgreSQL: a portal form one silo showed is
/// accepted by another, as behind a load balancer that sends each request of a browser to any silo.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class PortalKeyRingTests(ClusterFixture cluster)
{
    [Fact]
    public async Task SignInFormFromSiloOne_PostedToSiloTwo_Accepted_WithoutItsTokenRefused()
    {
        // One browser: its cookies (anti-forgery, then session) go to whichever silo it talks to.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var one = cluster.Silo[0].BaseAddress;
        var two = cluster.Silo[1].BaseAddress;

        using var form = await browser.GetAsync(new Uri(one, "/portal/sign-in"));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var token = FormToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEqual("", token);

        using var withoutToken = await browser.PostAsync(new Uri(two, "/portal/sign-in"), new FormUrlEncodedContent([new("token", cluster.FederationAdminToken)]));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        using var signIn = await browser.PostAsync(
            new Uri(two, "/portal/sign-in"),
            new FormUrlEncodedContent([new("token", cluster.FederationAdminToken), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal("/portal/sign-in?check=true", signIn.Headers.Location?.OriginalString);

        // The session the second silo started is the federation admin's, on the second silo too.
        using var check = await browser.GetAsync(new Uri(two, "/portal/sign-in?check=true"));
        Assert.Equal(HttpStatusCode.Found, check.StatusCode);
        Assert.Equal("/portal/federation", check.Headers.Location?.OriginalString);

        // The first silo made the service's one key before the others started; they found it and made none.
        Assert.Equal(1, await StoredKeysAsync());
    }

    private async Task<long> StoredKeysAsync()
    {
        await using var db = new Npgsql.NpgsqlConnection(cluster.ConnectionString + ";Pooling=false");
        await db.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT count(*) FROM broker_rows WHERE tbl = @tbl AND owner = @service", db);
        query.Parameters.AddWithValue("tbl", RowXmlRepository.Table);
        query.Parameters.AddWithValue("service", $"service-{cluster.Suffix}");
        return (long)(await query.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
