using System.Text.RegularExpressions;
using Broker.Federation;

namespace Broker.Grains.Federation;

/// <summary>
/// The validator judges the merged federation (a change can break what it refers to), but its paths then count
/// positions in the merged, id-sorted lists. This puts them back in terms of the document the admin sent:
/// <c>tenants[0].homeProvider</c> for the first tenant of the body, and <c>tenants[id=x]</c> for one the body
/// did not name (an existing entry the change broke).
/// </summary>
public static partial class FederationErrorPaths
{
    public static Dictionary<string, string[]> InTermsOf(Dictionary<string, string[]> errors, FederationDocument merged, FederationDocument change) =>
        errors
            .GroupBy(e => Translate(e.Key, merged, change), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    private static string Translate(string path, FederationDocument merged, FederationDocument change)
    {
        var match = Positioned().Match(path);
        if (!match.Success)
        {
            return path;
        }

        var (list, index, rest) = (match.Groups["list"].Value, int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["rest"].Value);
        if (list == "tenants")
        {
            return Element("tenants", merged.Tenants[index].Id, change.Tenants, t => t.Id) + rest;
        }

        if (list == "federationAdmins")
        {
            return Element("federationAdmins", AdminId(merged.FederationAdmins[index]), change.FederationAdmins, AdminId) + rest;
        }

        var provider = merged.Providers[index];
        var sent = change.Providers.FirstOrDefault(p => p.Id == provider.Id);
        var head = Element("providers", provider.Id, change.Providers, p => p.Id);
        var inner = Positioned().Match(rest.TrimStart('.'));
        if (!inner.Success)
        {
            return head + rest;
        }

        var at = int.Parse(inner.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var tail = inner.Groups["rest"].Value;
        return inner.Groups["list"].Value switch
        {
            "dataCenters" => $"{head}.{Element("dataCenters", provider.DataCenters[at].Id, sent?.DataCenters ?? [], dc => dc.Id)}{tail}",
            "contracts" => $"{head}.{Element("contracts", ContractId(provider.Contracts[at]), sent?.Contracts ?? [], ContractId)}{tail}",
            "admins" => $"{head}.{Element("admins", AdminId(provider.Admins[at]), sent?.Admins ?? [], AdminId)}{tail}",
            _ => head + rest,
        };
    }

    /// <summary><c>list[i]</c> at the element's position in what was sent, or <c>list[id=…]</c> when it was not sent.</summary>
    private static string Element<T>(string list, string id, IReadOnlyList<T> sent, Func<T, string> idOf)
    {
        for (var i = 0; i < sent.Count; i++)
        {
            if (idOf(sent[i]) == id)
            {
                return $"{list}[{i}]";
            }
        }

        return $"{list}[id={id}]";
    }

    private static string ContractId(ContractDefinition contract) => $"{contract.Partner}/{contract.Resource}";

    // Never a token in an error path: an admin entry is named by its hash.
    private static string AdminId(AdminDefinition admin) => TokenHash.Of(admin.Token, admin.TokenSha256) ?? "";

    [GeneratedRegex(@"^(?<list>providers|tenants|federationAdmins|dataCenters|contracts|admins)\[(?<index>\d+)\](?<rest>.*)$")]
    private static partial Regex Positioned();
}
