namespace Broker.Tests.Api;

/// <summary>
/// Every endpoint of the application's route table × every kind of caller → the status API.md prescribes.
/// The routes come from the running application, so an endpoint added without a row here fails the test.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class AuthorizationMatrixTests(BrokerFixture broker)
{
    private static readonly string[] Callers = ["no token", "unknown token", "owner tenant", "another tenant", "owner's provider admin", "another provider's admin", "federation admin"];

    // Per "METHOD pattern": the status for each caller above, in that order. 401 without or with an unknown
    // token; 404 for another tenant's request (its existence is not revealed); 403 for everything else not theirs.
    private static readonly Dictionary<string, int[]> Expected = new(StringComparer.Ordinal)
    {
        ["POST /v1/requests/"] = [401, 401, 201, 201, 403, 403, 403],
        ["GET /v1/requests/"] = [401, 401, 200, 200, 403, 403, 403],
        ["GET /v1/requests/{id}"] = [401, 401, 200, 404, 403, 403, 403],
        ["POST /v1/reservations/"] = [401, 401, 201, 201, 403, 403, 403],
        ["GET /v1/reservations/"] = [401, 401, 200, 200, 403, 403, 403],
        ["GET /v1/reservations/{id}"] = [401, 401, 200, 404, 403, 403, 403],
        ["DELETE /v1/reservations/{id}"] = [401, 401, 200, 404, 403, 403, 403],
        ["DELETE /v1/requests/{id}"] = [401, 401, 200, 404, 403, 403, 403],
        ["POST /v1/requests/{id}/renew"] = [401, 401, 200, 404, 403, 403, 403],
        ["GET /v1/catalog"] = [401, 401, 200, 200, 200, 200, 200],
        ["GET /v1/federation/capacity"] = [401, 401, 200, 200, 200, 200, 200],
        ["GET /v1/providers/{id}/datacenters"] = [401, 401, 403, 403, 200, 403, 200],
        ["PUT /v1/datacenters/{dc}/pools/{resource}"] = [401, 401, 403, 403, 200, 403, 403],
        ["PUT /v1/federation"] = [401, 401, 403, 403, 403, 403, 200],
        // The owner's admin starts the drain (202), the federation admin finds it running (200).
        ["POST /v1/datacenters/{dc}/drain/"] = [401, 401, 403, 403, 202, 403, 200],
        ["GET /v1/datacenters/{dc}/drain/"] = [401, 401, 403, 403, 200, 403, 200],
        ["DELETE /v1/datacenters/{dc}/drain/"] = [401, 401, 403, 403, 200, 403, 200],
        ["GET /v1/billing/providers/{id}"] = [401, 401, 403, 403, 200, 403, 200],
        ["GET /v1/billing/tenants/{id}"] = [401, 401, 200, 403, 200, 403, 200],
        ["GET /v1/billing/settlement"] = [401, 401, 403, 403, 403, 403, 200],
        ["GET /v1/audit/"] = [401, 401, 200, 200, 200, 200, 200],
        ["GET /v1/audit/verify"] = [401, 401, 403, 403, 403, 403, 200],
        ["GET /health/live"] = [200, 200, 200, 200, 200, 200, 200],
        ["GET /health/ready"] = [200, 200, 200, 200, 200, 200, 200],
        ["GET /openapi/{documentName}.json"] = [200, 200, 200, 200, 200, 200, 200],
        ["GET /scalar"] = [200, 200, 200, 200, 200, 200, 200],
        ["GET /dashboard"] = [401, 401, 403, 403, 403, 403, 200],
        ["GET /metrics"] = [401, 401, 403, 403, 403, 403, 200],
        // The portal reads no Authorization header (only its own session cookie): every bearer caller lands on its sign-in page.
        // Who may see which portal page is proven in a browser (tests/Broker.Tests/Portal).
        ["GET /portal"] = [200, 200, 200, 200, 200, 200, 200],
    };

    [Fact]
    public async Task EveryEndpoint_EveryCaller_TheStatusTheContractPrescribes()
    {
        var routes = ApiRoutes.All(broker.Services);
        var unlisted = routes.Where(r => !Expected.ContainsKey(ApiRoutes.Key(r))).Select(ApiRoutes.Key).Distinct().ToList();
        Assert.True(unlisted.Count == 0, "endpoints without a row in the authorization matrix: " + string.Join(", ", unlisted));

        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000_000, 0.0001m));
            var other = w.Member("other", "DE-BY").DataCenter("odc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            w.Tenant("a", home);
            w.Tenant("b", other);
        });
        HttpClient[] clients =
        [
            broker.Client(), broker.Client("unknown-" + Guid.NewGuid().ToString("N")), world.Tenant("a"), world.Tenant("b"),
            world.Admin("home"), world.Admin("other"), broker.Client(broker.FederationAdminToken),
        ];

        var reservationId = await ApiRoutes.ReserveAsync(world);
        var mismatches = new List<string>();
        var cells = 0;
        foreach (var route in routes.DistinctBy(ApiRoutes.Key))
        {
            var expected = Expected[ApiRoutes.Key(route)];
            for (var caller = 0; caller < Callers.Length; caller++)
            {
                // A fresh request of tenant a for every cell, so that releasing one leaves the next to find.
                var requestId = (await world.RequestAsync("a", world.Body("storage.ssd", 1))).Body.GetProperty("id").GetString()!;
                using var message = ApiRoutes.Message(route, world, requestId, reservationId);
                using var response = await clients[caller].SendAsync(message);
                cells++;
                if ((int)response.StatusCode != expected[caller])
                {
                    mismatches.Add($"{ApiRoutes.Key(route)} as {Callers[caller]}: {(int)response.StatusCode}, expected {expected[caller]}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(Expected.Count * Callers.Length, cells);
    }
}
