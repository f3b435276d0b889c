namespace Broker.Tests.Deployment;

/// <summary>The health routes the container and Kubernetes files probe are routes a real silo serves, without a token.</summary>
[Collection(BrokerCollection.Name)]
public sealed class HealthRoutesTests(BrokerFixture broker)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthRoute_ProbedByTheDeploymentFiles_AnswersOkWithoutAToken(string path)
    {
        var probed = File.ReadAllText(Path.Combine(DeploymentPaths.ContainerDirectory, "Dockerfile"))
            + File.ReadAllText(Path.Combine(DeploymentPaths.ContainerDirectory, "compose.yaml"))
            + File.ReadAllText(Path.Combine(DeploymentPaths.Deploy, "kubernetes", "base", "silo", "deployment.yaml"));
        Assert.Contains(path, probed, StringComparison.Ordinal);

        using var client = broker.Client();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
