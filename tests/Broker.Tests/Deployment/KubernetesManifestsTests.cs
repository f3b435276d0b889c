namespace Broker.Tests.Deployment;

/// <summary>
/// The production overlay as <c>kubectl kustomize</c> renders it (offline): what a platform team's cluster would be
/// given, checked resource by resource.
/// </summary>
public sealed class KubernetesManifestsTests : IAsyncLifetime
{
    private static readonly string[] Providers = ["akdb", "dataport", "itnrw"];

    public static TheoryData<string> ProviderIds => new(Providers);

    private IReadOnlyList<object> _resources = [];

    public async Task InitializeAsync()
    {
        var rendered = await Shell.ExecOrThrowAsync(null, "kubectl", "kustomize", DeploymentPaths.ProductionOverlay);
        _resources = Yaml.LoadAll(rendered);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Render_OneSiloDeploymentPerProvider_InTheBrokerNamespace()
    {
        Assert.Equal(Providers.Select(p => $"silo-{p}"), Named("Deployment").Select(d => d.Text("metadata", "name")).Order(StringComparer.Ordinal));
        Assert.All(_resources.Where(r => r.Text("kind") != "Namespace"), r => Assert.Equal("broker", r.Text("metadata", "namespace")));
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Deployment_PutsItsProviderIntoTheSilosMetadata(string provider)
    {
        var deployment = Deployment(provider);
        var labels = deployment.At("spec", "template", "metadata", "labels");

        Assert.Equal(provider, labels.Text("broker/provider"));
        Assert.Equal(provider, deployment.Text("spec", "selector", "matchLabels", "broker/provider"));
        Assert.Equal("metadata.labels['broker/provider']", Env(deployment, "Broker__Provider").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("2", deployment.Text("spec", "replicas"));
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Deployment_GivesOrleansKubernetesHostingItsLabelsAndPodFacts(string provider)
    {
        var deployment = Deployment(provider);
        var labels = deployment.At("spec", "template", "metadata", "labels");

        Assert.Equal("true", Env(deployment, "Broker__KubernetesHosting").Text("value"));
        Assert.Equal("broker", labels.Text("orleans/serviceId"));
        Assert.Equal("broker", labels.Text("orleans/clusterId"));
        foreach (var (name, field) in new[]
        {
            ("ORLEANS_SERVICE_ID", "metadata.labels['orleans/serviceId']"), ("ORLEANS_CLUSTER_ID", "metadata.labels['orleans/clusterId']"),
            ("Broker__ServiceId", "metadata.labels['orleans/serviceId']"), ("Broker__ClusterId", "metadata.labels['orleans/clusterId']"),
            ("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"), ("POD_IP", "status.podIP"),
        })
        {
            Assert.Equal(field, Env(deployment, name).Text("valueFrom", "fieldRef", "fieldPath"));
        }

        Assert.Equal("broker-silo", deployment.Text("spec", "template", "spec", "serviceAccountName"));
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Deployment_ProbesReadinessAndLivenessOnTheHealthRoutes(string provider)
    {
        var container = Silo(Deployment(provider));

        Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal(["http"], new[] { container.Text("readinessProbe", "httpGet", "port"), container.Text("livenessProbe", "httpGet", "port") }.Distinct());
        var ports = container.Items("ports").ToDictionary(p => p.Text("name")!, p => p.Text("containerPort"));
        Assert.Equal(new Dictionary<string, string?> { ["http"] = "8080", ["silo"] = "11111", ["gateway"] = "30000" }, ports);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Deployment_HasResourcesAndRunsNonRootOnAReadOnlyRoot(string provider)
    {
        var deployment = Deployment(provider);
        var container = Silo(deployment);

        Assert.Equal("1", container.Text("resources", "requests", "cpu"));
        Assert.Equal("2Gi", container.Text("resources", "requests", "memory"));
        Assert.Equal("4Gi", container.Text("resources", "limits", "memory"));
        Assert.Equal("true", deployment.Text("spec", "template", "spec", "securityContext", "runAsNonRoot"));
        Assert.Equal("1654", deployment.Text("spec", "template", "spec", "securityContext", "runAsUser"));
        Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        var tmp = Assert.Single(container.Items("volumeMounts"), m => m.Text("mountPath") == "/tmp");
        var volume = Assert.Single(deployment.Items("spec", "template", "spec", "volumes"), v => v.Text("name") == tmp.Text("name"));
        Assert.NotNull(volume.At("emptyDir"));
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Deployment_TakesTheDatabaseTheFederationFileAndTheClusterCertificateFromSecrets(string provider)
    {
        var deployment = Deployment(provider);

        Assert.Equal("broker-postgres", Env(deployment, "ConnectionStrings__Broker").Text("valueFrom", "secretKeyRef", "name"));
        Assert.Equal("connection-string", Env(deployment, "ConnectionStrings__Broker").Text("valueFrom", "secretKeyRef", "key"));
        Assert.Equal("broker-cluster-tls", Env(deployment, "Broker__Tls__CertificatePassword").Text("valueFrom", "secretKeyRef", "name"));
        var volumes = deployment.Items("spec", "template", "spec", "volumes").ToDictionary(v => v.Text("name")!, v => v.Text("secret", "secretName"));
        Assert.Equal("broker-federation", volumes["federation"]);
        Assert.Equal("broker-cluster-tls", volumes["cluster-tls"]);
        var mounts = Silo(deployment).Items("volumeMounts").ToDictionary(m => m.Text("name")!, m => m.Text("mountPath"));
        Assert.Equal("/etc/broker/federation/federation.json", $"{mounts["federation"]}/federation.json");
        Assert.Equal(Env(deployment, "Broker__FederationFile").Text("value"), $"{mounts["federation"]}/federation.json");
        Assert.Equal(Env(deployment, "Broker__Tls__CertificateFile").Text("value"), $"{mounts["cluster-tls"]}/cluster.pfx");
        // No secret value is written into the manifests themselves.
        Assert.DoesNotContain(_resources, r => r.Text("kind") == "Secret");
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void DisruptionBudget_CoversExactlyItsProvidersPods(string provider)
    {
        var budget = Assert.Single(Named("PodDisruptionBudget"), b => b.Text("metadata", "name") == $"silo-{provider}");
        var podLabels = Deployment(provider).At("spec", "template", "metadata", "labels") as IDictionary<object, object>;

        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));
        var selector = (IDictionary<object, object>)budget.At("spec", "selector", "matchLabels")!;
        Assert.Equal(new Dictionary<object, object> { ["app.kubernetes.io/name"] = "broker-silo", ["broker/provider"] = provider }, selector);
        Assert.All(selector, label => Assert.Equal(label.Value, podLabels![label.Key]));
    }

    [Fact]
    public void Rbac_LetsTheSilosServiceAccountReadWatchAndLabelPods_AndNothingElse()
    {
        var role = Assert.Single(Named("Role"));
        var rule = Assert.Single(role.Items("rules"));
        Assert.Equal([""], rule.Items("apiGroups").Cast<string>());
        Assert.Equal(["pods"], rule.Items("resources").Cast<string>());
        Assert.Equal(["get", "list", "watch", "patch"], rule.Items("verbs").Cast<string>());

        var binding = Assert.Single(Named("RoleBinding"));
        Assert.Equal(role.Text("metadata", "name"), binding.Text("roleRef", "name"));
        var subject = Assert.Single(binding.Items("subjects"));
        Assert.Equal(("ServiceAccount", "broker-silo", "broker"), (subject.Text("kind"), subject.Text("name"), subject.Text("namespace")));
        Assert.Single(Named("ServiceAccount"), a => a.Text("metadata", "name") == "broker-silo");
    }

    [Fact]
    public void NetworkPolicy_AdmitsHttpFromAnywhere_SiloAndGatewayPortsOnlyFromSilos()
    {
        var policy = Assert.Single(Named("NetworkPolicy"));
        Assert.Equal("broker-silo", policy.Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
        Assert.Equal(["Ingress"], policy.Items("spec", "policyTypes").Cast<string>());

        var rules = policy.Items("spec", "ingress")
            .Select(rule => (
                From: string.Join(",", rule.Items("from").Select(f => f.Text("podSelector", "matchLabels", "app.kubernetes.io/name"))),
                Ports: string.Join(",", rule.Items("ports").Select(p => $"{p.Text("protocol")}/{p.Text("port")}"))))
            .ToList();
        Assert.Equal([("", "TCP/8080"), ("broker-silo", "TCP/11111,TCP/30000")], rules);
    }

    [Fact]
    public void Service_SendsHttpToEverySilo()
    {
        var service = Assert.Single(Named("Service"));

        Assert.Equal(new Dictionary<object, object> { ["app.kubernetes.io/name"] = "broker-silo" }, (IDictionary<object, object>)service.At("spec", "selector")!);
        Assert.Equal("http", Assert.Single(service.Items("spec", "ports")).Text("targetPort"));
    }

    private IEnumerable<object> Named(string kind) => _resources.Where(r => r.Text("kind") == kind);

    private object Deployment(string provider) => Assert.Single(Named("Deployment"), d => d.Text("metadata", "name") == $"silo-{provider}");

    private static object Silo(object deployment) => Assert.Single(deployment.Items("spec", "template", "spec", "containers"), c => c.Text("name") == "silo");

    private static object Env(object deployment, string name) => Assert.Single(Silo(deployment).Items("env"), e => e.Text("name") == name);
}
