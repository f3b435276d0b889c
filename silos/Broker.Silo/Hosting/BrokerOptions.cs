using System.ComponentModel.DataAnnotations;

namespace Broker.Silo.Hosting;

/// <summary>The silo's own settings, bound from the <c>Broker</c> section (<c>--Broker:FederationFile=…</c>, <c>Broker__FederationFile</c>).</summary>
public sealed class BrokerOptions : IValidatableObject
{
    public const string Section = "Broker";

    /// <summary>The federation file to load and upsert at start. Relative paths are taken from the working directory.</summary>
    public string FederationFile { get; set; } = "";

    /// <summary><c>memory</c> (the embedded default: nothing is durable) or <c>postgres</c> (with <c>ConnectionStrings:Broker</c>).</summary>
    [RegularExpression("^(memory|postgres)$", ErrorMessage = "Broker:Storage must be 'memory' or 'postgres'.")]
    public string Storage { get; set; } = SiloStorage.Memory;

    /// <summary>The provider whose silo this is: its data centers' grains prefer this silo. Empty: no provider.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The Orleans cluster id: silos with the same id and database form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "broker";

    /// <summary>The Orleans service id: it keys grain state and reminders, so it must stay the same across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "broker";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// The address the silo listens on and gives the cluster for silo-to-silo and gateway traffic (durable mode).
    /// Loopback by default: one machine. A silo in its own network (a fault run's namespace, a host) names its own.
    /// </summary>
    [RegularExpression(@"^[0-9a-fA-F:.]+$", ErrorMessage = "Broker:SiloAddress must be an IP address.")]
    public string SiloAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Run under Orleans' Kubernetes hosting (durable mode only): the pod's name, IP and labels configure the silo, and
    /// silos without a pod are declared dead. Off unless asked for: the hosting needs a service account allowed to read
    /// and label pods (deploy/kubernetes/base/rbac.yaml), and without that permission it retries at start without end.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>How long <c>POST /v1/requests</c> waits for a decision before it answers 202 and lets the client poll.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DecisionWaitBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to print the URLs and the federation's size at start (a load test's embedded brokers do not).</summary>
    public bool ShowBanner { get; set; } = true;

    /// <summary>Whether to print a few tokens at start; they are printed only for the demo federation, never for a real one.</summary>
    public bool ShowDemoTokens { get; set; } = true;

    /// <summary>The demo federation shipped beside the silo: used when no file is configured.</summary>
    public static string DemoFederationFile => Path.Combine(AppContext.BaseDirectory, "demo-federation.json");

    public bool UsesDemoFederation => ResolvedFederationFile == DemoFederationFile;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KubernetesHosting && Storage != SiloStorage.Postgres)
        {
            yield return new ValidationResult(
                "Broker:KubernetesHosting needs Broker:Storage=postgres: in memory there is no cluster membership for the pods to join.",
                [nameof(KubernetesHosting), nameof(Storage)]);
        }
    }

    public string ResolvedFederationFile => string.IsNullOrWhiteSpace(FederationFile) ? DemoFederationFile : Path.GetFullPath(FederationFile);
}
