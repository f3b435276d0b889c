using System.CommandLine;
using System.Globalization;
using Broker.Contracts;

namespace Broker.Cli.Commands;

/// <summary>A tenant's commands: ask for capacity, look at requests, give capacity back, extend a lease.</summary>
public static class RequestCommands
{
    public static Command Request()
    {
        var items = new Argument<string[]>("items") { Description = "What to allocate, as resource=amount (storage.ssd=500 compute.vcpu=8)", Arity = ArgumentArity.OneOrMore };
        var protection = Choice("--protection", "The protection level the data needs", "normal", "high", "very-high");
        var residency = new Option<string?>("--residency") { Description = "Where the capacity must be: DE, AT, DE-NW, EU…" };
        var allow = new Option<string[]>("--allow") { Description = "Only these providers", AllowMultipleArgumentsPerToken = true };
        var deny = new Option<string[]>("--deny") { Description = "Never these providers", AllowMultipleArgumentsPerToken = true };
        var membersOnly = new Option<bool>("--members-only") { Description = "No commercial partners" };
        var maxHourlyCost = new Option<decimal?>("--max-hourly-cost") { Description = "EUR per hour for the whole request, at most" };
        var lease = new Option<string?>("--lease") { Description = "ISO 8601 duration, e.g. P30D or PT12H (default P30D)" };
        var priority = Choice("--priority", "high may use the pools' headroom", "normal", "high");
        var splittable = new Option<bool>("--splittable") { Description = "Storage may be spread over several data centers" };
        var key = new Option<string?>("--idempotency-key") { Description = "Repeat a request safely: the same key and body allocate once" };
        var async = new Option<bool>("--async") { Description = "Answer at once, before the broker decided (exit code 3)" };
        var command = new Command("request", "Ask for capacity; exits 0 if allocated, 2 if rejected, 3 if not decided yet")
        {
            items, protection, residency, allow, deny, membersOnly, maxHourlyCost, lease, priority, splittable, key, async,
        };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var ask = new CreateRequestBody
            {
                Items = parsed.GetValue(items)!.Select(ParseItem).ToArray(),
                Constraints = new ConstraintsBody
                {
                    ProtectionLevel = Enum<ProtectionLevel>(parsed.GetValue(protection)),
                    Residency = parsed.GetValue(residency),
                    Providers = parsed.GetValue(allow) is { Length: > 0 } || parsed.GetValue(deny) is { Length: > 0 }
                        ? new ProviderFilterBody { Allow = parsed.GetValue(allow), Deny = parsed.GetValue(deny) }
                        : null,
                    MembersOnly = parsed.GetValue(membersOnly) ? true : null,
                    MaxHourlyCost = parsed.GetValue(maxHourlyCost),
                },
                Lease = parsed.GetValue(lease),
                Priority = Enum<Priority>(parsed.GetValue(priority)),
                Splittable = parsed.GetValue(splittable) ? true : null,
            };
            var answer = parsed.GetValue(async)
                ? await session.Client.CreateRequestAsync(ask, parsed.GetValue(key), respondAsync: true)
                : await session.Client.RequestAsync(ask, parsed.GetValue(key));
            session.Show(answer, Views.Request);
            return ExitCodeOf(answer);
        });
        return command;
    }

    public static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The request's id" };
        var command = new Command("show", "One of your requests; exits 2 if rejected, 3 if not decided yet") { id };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var request = await session.Client.GetRequestAsync(parsed.GetValue(id)!);
            session.Show(request, Views.Request);
            return ExitCodeOf(request);
        });
        return command;
    }

    public static Command List()
    {
        var state = Choice("--state", "Only requests in this state", "negotiating", "allocated", "released", "expired", "rejected");
        var limit = new Option<int>("--limit") { Description = "At most this many (1-1000)", DefaultValueFactory = _ => 20 };
        var all = new Option<bool>("--all") { Description = "Every request, page after page" };
        var command = new Command("list", "Your requests, newest first") { state, limit, all };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var filter = Enum<RequestState>(parsed.GetValue(state));
            RequestListResource page;
            if (parsed.GetValue(all))
            {
                var every = new List<RequestResource>();
                await foreach (var request in session.Client.ListAllRequestsAsync(filter))
                {
                    every.Add(request);
                }

                page = new RequestListResource(every.ToArray(), null);
            }
            else
            {
                page = await session.Client.ListRequestsAsync(filter, parsed.GetValue(limit));
            }

            session.Show(page, Views.Requests);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Release()
    {
        var id = new Argument<string>("id") { Description = "The request's id" };
        var command = new Command("release", "Give an allocation back (releasing twice is fine)") { id };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await session.Client.ReleaseRequestAsync(parsed.GetValue(id)!), Views.Request);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Renew()
    {
        var id = new Argument<string>("id") { Description = "The request's id" };
        var lease = new Option<string>("--lease") { Description = "The new lease from now, ISO 8601 (P30D)", Required = true };
        var command = new Command("renew", "Extend an allocation's lease from now") { id, lease };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await session.Client.RenewRequestAsync(parsed.GetValue(id)!, parsed.GetValue(lease)!), Views.Request);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static int ExitCodeOf(RequestResource request) => request.State switch
    {
        RequestState.Rejected => ExitCodes.Rejected,
        RequestState.Negotiating => ExitCodes.Pending,
        _ => ExitCodes.Ok,
    };

    internal static ItemBody ParseItem(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2 || parts[0].Length == 0 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            throw new CliUsageException($"'{text}' is not an item; write resource=amount, e.g. storage.ssd=500");
        }

        return new ItemBody(parts[0], amount);
    }

    /// <summary>A string option limited to the kebab-case names the API uses (<c>very-high</c>).</summary>
    internal static Option<string?> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name) { Description = $"{description} ({string.Join(" | ", values)})" };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    // The option took only the names it lists, so the parse cannot fail.
    internal static T? Enum<T>(string? kebab) where T : struct, Enum =>
        kebab is not null && ApiEnums.TryParse<T>(kebab, out var value) ? value : null;
}
