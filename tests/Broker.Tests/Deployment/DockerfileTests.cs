namespace Broker.Tests.Deployment;

/// <summary>
/// deploy/container/Dockerfile, checked without a Docker engine (none runs on these machines): the project's lint
/// script, and the instructions of its stages.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string DockerfilePath = Path.Combine(DeploymentPaths.ContainerDirectory, "Dockerfile");

    [Fact]
    public async Task Lint_TheProjectsDockerfile_FindsNoIssue()
    {
        var (exitCode, output) = await Shell.ExecAsync(null, TimeSpan.FromMinutes(5), "bash", Path.Combine(DeploymentPaths.ContainerDirectory, "lint.sh"));

        Assert.True(exitCode == 0, $"lint.sh exited with {exitCode}: {output}");
        Assert.Contains("Issues: None found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_BuildOnTheSdk_RunOnTheAspNetRuntime()
    {
        var stages = Stages();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime"], stages.Select(s => s.From));
        Assert.Contains(stages[1].Instructions, i => i.StartsWith("COPY --from=build /app ", StringComparison.Ordinal));
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"Broker.Silo.dll\"]", stages[1].Instructions.Last(i => i.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_CopiesEveryProjectTheSiloIsBuiltFrom()
    {
        var build = Stages()[0].Instructions;
        var projects = ProjectsOf(Path.Combine(RepoPaths.Root, "silos", "Broker.Silo", "Broker.Silo.csproj"));

        // The restore layer needs each project file, the publish each project's sources: a project left out breaks the image.
        Assert.Equal(["contracts/Broker.Contracts", "grains/Broker.Abstractions", "grains/Broker.Grains", "silos/Broker.Silo"], projects.Select(p => p.Directory));
        Assert.All(projects, p => Assert.Contains($"COPY {p.Directory}/{p.Name}.csproj {p.Directory}/", build));
        Assert.All(projects.Select(p => p.Directory.Split('/')[0]).Distinct(), folder => Assert.Contains($"COPY {folder}/ {folder}/", build));
    }

    [Fact]
    public void Runtime_RunsAsTheImagesNonRootUser()
    {
        var user = Stages()[1].Instructions.Last(i => i.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];

        Assert.Equal("1654:1654", user);
    }

    [Fact]
    public void Runtime_ListensOnThePortItsHealthCheckAsksAndDeclaresNoVolume()
    {
        var runtime = Stages()[1].Instructions;

        Assert.Contains(runtime, i => i.StartsWith("ENV ASPNETCORE_URLS=http://+:8080 ", StringComparison.Ordinal));
        var healthCheck = Assert.Single(runtime, i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.EndsWith("CMD [\"curl\", \"--fail\", \"--silent\", \"--output\", \"/dev/null\", \"http://127.0.0.1:8080/health/ready\"]", healthCheck, StringComparison.Ordinal);
        // Nothing is written to the image: state is in PostgreSQL, /tmp is the runtime's tmpfs or emptyDir.
        Assert.DoesNotContain(runtime, i => i.StartsWith("VOLUME", StringComparison.Ordinal));
    }

    /// <summary>A project and every project it references, each as its folder relative to the repository and its name, ordered by folder.</summary>
    private static List<(string Directory, string Name)> ProjectsOf(string project)
    {
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var file))
        {
            if (seen.TryAdd(Path.GetRelativePath(RepoPaths.Root, Path.GetDirectoryName(file)!).Replace('\\', '/'), Path.GetFileNameWithoutExtension(file)))
            {
                foreach (var reference in System.Xml.Linq.XDocument.Load(file).Descendants("ProjectReference"))
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
                }
            }
        }

        return seen.Select(p => (p.Key, p.Value)).ToList();
    }

    /// <summary>The Dockerfile's stages: each FROM and the instructions after it, continuation lines joined, comments dropped.</summary>
    private static List<(string From, List<string> Instructions)> Stages()
    {
        var instructions = new List<string>();
        var current = "";
        foreach (var raw in File.ReadLines(DockerfilePath))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            current += line.EndsWith('\\') ? line[..^1].TrimEnd() + " " : line;
            if (!line.EndsWith('\\'))
            {
                instructions.Add(System.Text.RegularExpressions.Regex.Replace(current, " {2,}", " "));
                current = "";
            }
        }

        var stages = new List<(string From, List<string> Instructions)>();
        foreach (var instruction in instructions)
        {
            if (instruction.StartsWith("FROM ", StringComparison.Ordinal))
            {
                stages.Add((instruction["FROM ".Length..], []));
            }
            else
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        return stages;
    }
}
