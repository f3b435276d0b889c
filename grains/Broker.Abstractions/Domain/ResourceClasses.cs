namespace Broker.Domain;

/// <summary>Facts about resource class names such as <c>storage.ssd</c> or <c>compute.vcpu</c>.</summary>
public static class ResourceClasses
{
    /// <summary>Storage items are the ones a <c>splittable</c> request may spread over several data centers.</summary>
    public static bool IsStorage(string resource) => resource.StartsWith("storage.", StringComparison.Ordinal);

    /// <summary>A class name is lower-case dotted words: <c>storage.ssd</c>, <c>compute.memory</c>.</summary>
    public static bool IsWellFormed(string resource) =>
        resource.Length is > 0 and <= 64
        && resource.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && resource.Contains('.')
        && !resource.StartsWith('.') && !resource.EndsWith('.');
}
