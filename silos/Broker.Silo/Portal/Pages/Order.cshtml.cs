using Broker.Contracts;
using System.Security.Cryptography;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Broker.Silo.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// The order form: a <c>POST /v1/requests</c> body in HTML fields, submitted through the API's own handler. Each form
/// carries an idempotency key made when it was shown, so sending the same form twice finds the first request.
/// </summary>
[PortalAuthorize(Auth.Callers.TenantPolicy)]
public sealed class OrderModel(IGrainFactory grains, FederationRegistry federation, CapacityDirectory directory, IOptions<BrokerOptions> options) : PortalPage
{
    public const int MaxItems = RequestValidation.MaxItems;

    [BindProperty]
    public OrderForm Form { get; set; } = new();

    public IReadOnlyList<string> ResourceClasses { get; private set; } = [];

    public IReadOnlyList<string> Providers { get; private set; } = [];

    public void OnGet()
    {
        Form = new OrderForm { Key = NewKey() };
        Offer();
    }

    /// <summary>One more item row: the form comes back as it was, with an empty row (no script needed).</summary>
    public IActionResult OnPostAddItem()
    {
        if (Form.Items.Count < MaxItems)
        {
            Form.Items.Add(new OrderItem());
        }

        Offer();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Offer();
        var (body, unreadable) = Form.ToBody();
        if (unreadable is not null)
        {
            Read<object>(Problems.Invalid(unreadable), out _);
            return Page();
        }

        var answer = await RequestsApi.SubmitAsync(body, Form.Key, respondAsync: false, HttpContext, User, grains, federation, directory, options);
        return Read(answer.Result, out RequestResource request) ? Redirect(PortalLinks.Request(request.Id)) : Page();
    }

    private void Offer()
    {
        ResourceClasses = FederationApi.GetCatalog(User, directory, federation).Value!.Resources.Select(r => r.Resource).ToArray();
        Providers = federation.Current.Providers.Keys.Order(StringComparer.Ordinal).ToArray();
        if (Form.Items.Count == 0)
        {
            Form.Items.Add(new OrderItem());
        }

        Form.Key ??= NewKey();
    }

    private static string NewKey() => "portal-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>The order form's fields as typed; <see cref="ToBody"/> makes the API's request body of them.</summary>
public sealed class OrderForm
{
    public string? Key { get; set; }
    public List<OrderItem> Items { get; set; } = [];
    public string? Level { get; set; }
    public string? Residency { get; set; } = "DE";
    public List<string> Avoid { get; set; } = [];
    public bool MembersOnly { get; set; }
    public string? MaxHourlyCost { get; set; }
    public string? Lease { get; set; } = "P30D";
    public string? Priority { get; set; }
    public bool Splittable { get; set; }

    /// <summary>
    /// The body, with empty item rows left out; what cannot even be read as a number is named in the API's field names.
    /// Everything else — ranges, known classes, durations, residencies — the API's validation judges.
    /// </summary>
    public (CreateRequestBody Body, Dictionary<string, string[]>? Unreadable) ToBody()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var items = new List<ItemBody>();
        foreach (var item in Items.Where(i => !string.IsNullOrWhiteSpace(i.Resource) || !string.IsNullOrWhiteSpace(i.Amount)))
        {
            var amount = PortalFormat.ParseWhole(item.Amount, out var readable);
            if (!readable)
            {
                errors[$"items[{items.Count}].amount"] = ["must be a whole number"];
            }

            items.Add(new ItemBody { Resource = item.Resource?.Trim(), Amount = amount });
        }

        var maxCost = PortalFormat.ParseDecimal(MaxHourlyCost, out var costReadable);
        if (!costReadable)
        {
            errors["constraints.maxHourlyCost"] = ["must be a number of EUR, such as 1.50"];
        }

        var body = new CreateRequestBody
        {
            Items = items.ToArray(),
            Constraints = new ConstraintsBody
            {
                ProtectionLevel = Enum.GetValues<ProtectionLevel>().Where(l => ApiEnums.Kebab(l) == Level).Select(l => (ProtectionLevel?)l).FirstOrDefault(),
                Residency = string.IsNullOrWhiteSpace(Residency) ? null : Residency.Trim(),
                Providers = new ProviderFilterBody { Deny = Avoid.Where(a => !string.IsNullOrEmpty(a)).ToArray() },
                MembersOnly = MembersOnly,
                MaxHourlyCost = maxCost,
            },
            Lease = string.IsNullOrWhiteSpace(Lease) ? null : Lease.Trim(),
            Priority = Priority == "high" ? Broker.Contracts.Priority.High : Broker.Contracts.Priority.Normal,
            Splittable = Splittable,
        };
        return (body, errors.Count > 0 ? errors : null);
    }
}

public sealed class OrderItem
{
    public string? Resource { get; set; }
    public string? Amount { get; set; }
}
