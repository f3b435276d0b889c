using System.Globalization;

namespace Broker.Silo.Portal;

/// <summary>
/// Every word the portal shows, in English and German. Each language is one instance and every text is
/// <c>required</c>, so a text added to one language and not the other does not compile. The English names of fields,
/// buttons and links are part of the public contract (docs/portal.md): scripts and browser tests find them by name.
/// </summary>
public sealed record PortalText
{
    public static readonly string[] Languages = ["en", "de"];

    public required string Lang { get; init; }
    public required string LanguageName { get; init; }
    public required string Product { get; init; }
    public required string SkipToContent { get; init; }
    public required string MainNavigation { get; init; }
    public required string LanguageSwitch { get; init; }
    public required string SignedInAs { get; init; }

    // Sign-in and session.
    public required string SignInTitle { get; init; }
    public required string SignInIntro { get; init; }
    public required string Token { get; init; }
    public required string TokenHint { get; init; }
    public required string SignIn { get; init; }
    public required string SignOut { get; init; }
    public required string TokenRefused { get; init; }
    public required string TokenMissing { get; init; }
    public required string SignInWithProvider { get; init; }
    public required string SignInWithTokenInstead { get; init; }
    public required string ProviderSignInFailed { get; init; }
    public required string SigningIn { get; init; }
    public required string Continue { get; init; }

    // Navigation.
    public required string Catalogue { get; init; }
    public required string Order { get; init; }
    public required string Requests { get; init; }
    public required string Bill { get; init; }
    public required string DataCenters { get; init; }
    public required string Statement { get; init; }
    public required string Federation { get; init; }
    public required string Settlement { get; init; }
    public required string Audit { get; init; }

    // Common words.
    public required string Show { get; init; }
    public required string Any { get; init; }
    public required string None { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }
    public required string Older { get; init; }
    public required string Month { get; init; }
    public required string MonthHint { get; init; }
    public required string Provider { get; init; }
    public required string Kind { get; init; }
    public required string DataCenter { get; init; }
    public required string Location { get; init; }
    public required string Resource { get; init; }
    public required string Amount { get; init; }
    public required string ProtectionLevel { get; init; }
    public required string Residency { get; init; }
    public required string Lease { get; init; }
    public required string Price { get; init; }
    public required string PricePerUnitHour { get; init; }
    public required string Free { get; init; }
    public required string Total { get; init; }
    public required string Capacity { get; init; }
    public required string Headroom { get; init; }
    public required string Allocated { get; init; }
    public required string Held { get; init; }
    public required string Utilisation { get; init; }
    public required string RenewableShare { get; init; }
    public required string Units { get; init; }
    public required string Id { get; init; }
    public required string State { get; init; }
    public required string Tier { get; init; }
    public required string Where { get; init; }
    public required string HourlyCost { get; init; }
    public required string LeaseExpires { get; init; }
    public required string Created { get; init; }
    public required string Decided { get; init; }
    public required string Ended { get; init; }
    public required string Reason { get; init; }
    public required string Actions { get; init; }
    public required string Cost { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Nothing { get; init; }

    // Problems the API answered.
    public required string ProblemTitle { get; init; }
    public required string Refused403 { get; init; }
    public required string NotFound404 { get; init; }
    public required string Invalid400 { get; init; }
    public required string Conflict409 { get; init; }
    public required string TooMany429 { get; init; }
    public required string Unavailable503 { get; init; }
    public required string StatusOther { get; init; }
    public required string BackToStart { get; init; }

    // Catalogue.
    public required string CatalogueIntro { get; init; }
    public required string ResourceClass { get; init; }
    public required string AtLeastLevel { get; init; }
    public required string Region { get; init; }
    public required string RegionHint { get; init; }
    public required string Step { get; init; }
    public required string MinMax { get; init; }
    public required string NoOffers { get; init; }

    // Order.
    public required string OrderIntro { get; init; }
    public required string Item { get; init; }
    public required string AddItem { get; init; }
    public required string ResidencyHint { get; init; }
    public required string AvoidProviders { get; init; }
    public required string MembersOnly { get; init; }
    public required string MaxHourlyCost { get; init; }
    public required string MaxHourlyCostHint { get; init; }
    public required string LeaseHint { get; init; }
    public required string Priority { get; init; }
    public required string Splittable { get; init; }
    public required string SplittableHint { get; init; }
    public required string Request { get; init; }
    public required string Constraints { get; init; }

    // A request and the list.
    public required string RequestTitle { get; init; }
    public required string Decision { get; init; }
    public required string Parts { get; init; }
    public required string Trace { get; init; }
    public required string TraceIntro { get; init; }
    public required string Outcome { get; init; }
    public required string Score { get; init; }
    public required string Renew { get; init; }
    public required string Release { get; init; }
    public required string Renewed { get; init; }
    public required string Released { get; init; }
    public required string StillNegotiating { get; init; }
    public required string Refresh { get; init; }
    public required string NoRequests { get; init; }
    public required string AsUnderstood { get; init; }

    // Bill, statement, settlement.
    public required string BillIntro { get; init; }
    public required string StillRunning { get; init; }
    public required string ServedBy { get; init; }
    public required string TotalDue { get; init; }
    public required string StatementIntro { get; init; }
    public required string Counterparty { get; init; }
    public required string Charged { get; init; }
    public required string ChargedBy { get; init; }
    public required string Net { get; init; }
    public required string NetDue { get; init; }
    public required string SettlementIntro { get; init; }
    public required string SettlementPositions { get; init; }
    public required string SettlementPairs { get; init; }
    public required string ProviderA { get; init; }
    public required string ProviderB { get; init; }
    public required string AChargedB { get; init; }
    public required string BChargedA { get; init; }
    public required string PairNet { get; init; }
    public required string SettlementTransfers { get; init; }
    public required string PaidBy { get; init; }
    public required string PaidTo { get; init; }
    public required string TransferAmount { get; init; }
    public required string TransfersMinimal { get; init; }
    public required string TransfersGreedy { get; init; }

    // Data centers and federation.
    public required string DataCentersIntro { get; init; }
    public required string ChangePool { get; init; }
    public required string AddPool { get; init; }
    public required string Change { get; init; }
    public required string Add { get; init; }
    public required string PoolChanged { get; init; }
    public required string PoolAdded { get; init; }
    public required string ChartOf { get; init; }
    public required string Legend { get; init; }
    public required string FederationIntro { get; init; }
    public required string HostedOn { get; init; }

    // Audit.
    public required string AuditIntro { get; init; }
    public required string Tenant { get; init; }
    public required string Action { get; init; }
    public required string Subject { get; init; }
    public required string Actor { get; init; }
    public required string At { get; init; }
    public required string Detail { get; init; }
    public required string Chain { get; init; }
    public required string Filter { get; init; }
    public required string DateHint { get; init; }
    public required string Verify { get; init; }
    public required string Valid { get; init; }
    public required string ValidDetail { get; init; }
    public required string Broken { get; init; }
    public required string BrokenDetail { get; init; }

    public static readonly PortalText English = new()
    {
        Lang = "en",
        LanguageName = "English",
        Product = "Capacity broker",
        SkipToContent = "Skip to content",
        MainNavigation = "Main",
        LanguageSwitch = "Language",
        SignedInAs = "Signed in as",
        SignInTitle = "Sign in",
        SignInIntro = "Sign in with the token the coordination office gave you: a tenant's, a provider admin's or the coordination office's own.",
        Token = "Token",
        TokenHint = "The same bearer token the API takes. The portal keeps it in a cookie only this browser session sends.",
        SignIn = "Sign in",
        SignOut = "Sign out",
        TokenRefused = "This token is not accepted.",
        TokenMissing = "Enter a token.",
        SignInWithProvider = "Sign in with the identity provider",
        SignInWithTokenInstead = "Or sign in with a token:",
        ProviderSignInFailed = "The identity provider did not sign you in. Try again, or sign in with a token.",
        SigningIn = "Signing you in …",
        Continue = "Continue",
        Catalogue = "Catalogue",
        Order = "Order",
        Requests = "Requests",
        Bill = "Bill",
        DataCenters = "Data centers",
        Statement = "Statement",
        Federation = "Federation",
        Settlement = "Settlement",
        Audit = "Audit",
        Show = "Show",
        Any = "any",
        None = "none",
        Yes = "yes",
        No = "no",
        Older = "Older entries",
        Month = "Month",
        MonthHint = "As yyyy-MM, such as 2026-11.",
        Provider = "Provider",
        Kind = "Kind",
        DataCenter = "Data center",
        Location = "Location",
        Resource = "Resource",
        Amount = "Amount",
        ProtectionLevel = "Protection level",
        Residency = "Residency",
        Lease = "Lease",
        Price = "Price",
        PricePerUnitHour = "Price per unit-hour (EUR)",
        Free = "Free now",
        Total = "Total",
        Capacity = "Capacity",
        Headroom = "Headroom",
        Allocated = "Allocated",
        Held = "Held",
        Utilisation = "Utilisation",
        RenewableShare = "Renewable energy",
        Units = "units",
        Id = "Id",
        State = "State",
        Tier = "Tier",
        Where = "Where",
        HourlyCost = "Hourly cost (EUR)",
        LeaseExpires = "Lease ends",
        Created = "Created",
        Decided = "Decided",
        Ended = "Ended",
        Reason = "Reason",
        Actions = "Actions",
        Cost = "Cost (EUR)",
        From = "From",
        To = "To",
        Nothing = "Nothing for this month.",
        ProblemTitle = "The broker refused",
        Refused403 = "You may not see or do this.",
        NotFound404 = "There is nothing here.",
        Invalid400 = "Please correct the fields marked below.",
        Conflict409 = "This conflicts with the current state.",
        TooMany429 = "Too many requests at once; try again in a moment.",
        Unavailable503 = "The broker is unavailable right now; try again in a moment.",
        StatusOther = "The request could not be served.",
        BackToStart = "Back to the start page",
        CatalogueIntro = "What the federation offers, per resource class: where, at which protection level and price, and how much is free right now.",
        ResourceClass = "Resource class",
        AtLeastLevel = "Protection level at least",
        Region = "Region",
        RegionHint = "A country (DE), a German state (DE-NW) or EU.",
        Step = "Step",
        MinMax = "Per request",
        NoOffers = "No offers match.",
        OrderIntro = "Ask for capacity. The broker decides at once: from your own provider if it can, otherwise from another member, otherwise from a partner under contract.",
        Item = "Item",
        AddItem = "Add an item",
        ResidencyHint = "Where the capacity must be: a country (DE), a German state (DE-NW) or EU.",
        AvoidProviders = "Providers to avoid",
        MembersOnly = "Members only (no commercial partners)",
        MaxHourlyCost = "Maximum hourly cost (EUR)",
        MaxHourlyCostHint = "For the whole request; leave empty for no limit.",
        LeaseHint = "ISO 8601 duration: P30D is 30 days, PT12H twelve hours; at most P365D.",
        Priority = "Priority",
        Splittable = "Splittable",
        SplittableHint = "Storage items may be spread over several data centers.",
        Request = "Request",
        Constraints = "Constraints",
        RequestTitle = "Request",
        Decision = "Decision",
        Parts = "Where it runs",
        Trace = "How the broker decided",
        TraceIntro = "Each data center the broker asked, and what it answered.",
        Outcome = "Outcome",
        Score = "Score",
        Renew = "Renew",
        Release = "Release",
        Renewed = "Renewed: the lease runs again from now.",
        Released = "Released.",
        StillNegotiating = "The broker is still negotiating; refresh in a moment.",
        Refresh = "Refresh",
        NoRequests = "No requests.",
        AsUnderstood = "The request as the broker understood it",
        BillIntro = "Usage × time × price, per request and stretch of use. What still runs is accrued up to now and marked running.",
        StillRunning = "running",
        ServedBy = "Served by",
        TotalDue = "Total due (EUR)",
        StatementIntro = "What this provider charged others and was charged, per counterparty.",
        Counterparty = "Counterparty",
        Charged = "Charged (EUR)",
        ChargedBy = "Charged by (EUR)",
        Net = "Net (EUR)",
        NetDue = "Net due (EUR)",
        SettlementIntro = "What providers charged each other in the month: each provider's net position (positive is owed to it, negative is owed by it), each pair after offsetting, and the transfers that settle the whole federation.",
        SettlementPositions = "Net positions",
        SettlementPairs = "Pairs of providers after bilateral offsetting",
        ProviderA = "Provider A",
        ProviderB = "Provider B",
        AChargedB = "A charged B (EUR)",
        BChargedA = "B charged A (EUR)",
        PairNet = "B owes A (EUR)",
        SettlementTransfers = "Transfers after multilateral netting",
        PaidBy = "Paid by",
        PaidTo = "Paid to",
        TransferAmount = "Amount (EUR)",
        TransfersMinimal = "These are the fewest transfers that settle every position.",
        TransfersGreedy = "These transfers settle every position; with this many providers they are matched greedily and may not be the fewest.",
        DataCentersIntro = "This provider's data centers and the utilisation of each pool, as the data centers report it now.",
        ChangePool = "Change a pool",
        AddPool = "Add a pool",
        Change = "Change",
        Add = "Add",
        PoolChanged = "The pool was changed.",
        PoolAdded = "The pool was added.",
        ChartOf = "Utilisation at {0}",
        Legend = "Legend",
        FederationIntro = "Capacity per provider, data center and pool, as the capacity directory has it now.",
        HostedOn = "Hosted on",
        AuditIntro = "Every decision, renewal, release, expiry and admin change, newest first, in hash chains that can be verified.",
        Tenant = "Tenant",
        Action = "Action",
        Subject = "Subject",
        Actor = "Actor",
        At = "At",
        Detail = "Detail",
        Chain = "Chain · entry",
        Filter = "Filter",
        DateHint = "A date (2026-11-02) or date-time with offset.",
        Verify = "Verify",
        Valid = "valid",
        ValidDetail = "{0} entries in {1} chains, read back from storage, hold together.",
        Broken = "broken",
        BrokenDetail = "Chain {0} first breaks at entry {1}: {2} ({3}).",
    };

    public static readonly PortalText German = new()
    {
        Lang = "de",
        LanguageName = "Deutsch",
        Product = "Kapazitätsbroker",
        SkipToContent = "Zum Inhalt springen",
        MainNavigation = "Hauptnavigation",
        LanguageSwitch = "Sprache",
        SignedInAs = "Angemeldet als",
        SignInTitle = "Anmelden",
        SignInIntro = "Melden Sie sich mit dem Token an, das Ihnen die Koordinierungsstelle gegeben hat: dem eines Mandanten, einer Anbieter-Administration oder der Koordinierungsstelle selbst.",
        Token = "Token",
        TokenHint = "Dasselbe Bearer-Token, das die API annimmt. Das Portal hält es in einem Cookie, das nur diese Browsersitzung sendet.",
        SignIn = "Anmelden",
        SignOut = "Abmelden",
        TokenRefused = "Dieses Token wird nicht angenommen.",
        TokenMissing = "Bitte ein Token eingeben.",
        SignInWithProvider = "Beim Identitätsanbieter anmelden",
        SignInWithTokenInstead = "Oder mit einem Token anmelden:",
        ProviderSignInFailed = "Der Identitätsanbieter hat die Anmeldung nicht abgeschlossen. Bitte erneut versuchen oder mit einem Token anmelden.",
        SigningIn = "Anmeldung läuft …",
        Continue = "Weiter",
        Catalogue = "Katalog",
        Order = "Bestellen",
        Requests = "Anfragen",
        Bill = "Rechnung",
        DataCenters = "Rechenzentren",
        Statement = "Abrechnung",
        Federation = "Verbund",
        Settlement = "Ausgleich",
        Audit = "Prüfpfad",
        Show = "Anzeigen",
        Any = "alle",
        None = "keine",
        Yes = "ja",
        No = "nein",
        Older = "Ältere Einträge",
        Month = "Monat",
        MonthHint = "Als JJJJ-MM, etwa 2026-11.",
        Provider = "Anbieter",
        Kind = "Art",
        DataCenter = "Rechenzentrum",
        Location = "Standort",
        Resource = "Ressource",
        Amount = "Menge",
        ProtectionLevel = "Schutzbedarf",
        Residency = "Datenstandort",
        Lease = "Laufzeit",
        Price = "Preis",
        PricePerUnitHour = "Preis je Einheit und Stunde (EUR)",
        Free = "Jetzt frei",
        Total = "Gesamt",
        Capacity = "Kapazität",
        Headroom = "Reserve",
        Allocated = "Zugeteilt",
        Held = "Vorgemerkt",
        Utilisation = "Auslastung",
        RenewableShare = "Erneuerbare Energie",
        Units = "Einheiten",
        Id = "Kennung",
        State = "Zustand",
        Tier = "Stufe",
        Where = "Wo",
        HourlyCost = "Kosten je Stunde (EUR)",
        LeaseExpires = "Laufzeit endet",
        Created = "Erstellt",
        Decided = "Entschieden",
        Ended = "Beendet",
        Reason = "Grund",
        Actions = "Aktionen",
        Cost = "Kosten (EUR)",
        From = "Von",
        To = "Bis",
        Nothing = "Nichts in diesem Monat.",
        ProblemTitle = "Der Broker hat abgelehnt",
        Refused403 = "Das dürfen Sie nicht sehen oder tun.",
        NotFound404 = "Hier gibt es nichts.",
        Invalid400 = "Bitte korrigieren Sie die markierten Felder.",
        Conflict409 = "Das widerspricht dem aktuellen Zustand.",
        TooMany429 = "Zu viele Anfragen auf einmal; bitte gleich noch einmal versuchen.",
        Unavailable503 = "Der Broker ist gerade nicht erreichbar; bitte gleich noch einmal versuchen.",
        StatusOther = "Die Anfrage konnte nicht bedient werden.",
        BackToStart = "Zur Startseite",
        CatalogueIntro = "Was der Verbund anbietet, je Ressourcenklasse: wo, mit welchem Schutzbedarf und Preis, und wie viel gerade frei ist.",
        ResourceClass = "Ressourcenklasse",
        AtLeastLevel = "Schutzbedarf mindestens",
        Region = "Region",
        RegionHint = "Ein Land (DE), ein Bundesland (DE-NW) oder EU.",
        Step = "Schritt",
        MinMax = "Je Anfrage",
        NoOffers = "Keine passenden Angebote.",
        OrderIntro = "Kapazität anfragen. Der Broker entscheidet sofort: beim eigenen Anbieter, wenn möglich, sonst bei einem anderen Mitglied, sonst bei einem Vertragspartner.",
        Item = "Posten",
        AddItem = "Posten hinzufügen",
        ResidencyHint = "Wo die Kapazität liegen muss: ein Land (DE), ein Bundesland (DE-NW) oder EU.",
        AvoidProviders = "Anbieter ausschließen",
        MembersOnly = "Nur Mitglieder (keine kommerziellen Partner)",
        MaxHourlyCost = "Höchstkosten je Stunde (EUR)",
        MaxHourlyCostHint = "Für die ganze Anfrage; leer lassen für keine Grenze.",
        LeaseHint = "ISO-8601-Dauer: P30D sind 30 Tage, PT12H zwölf Stunden; höchstens P365D.",
        Priority = "Priorität",
        Splittable = "Teilbar",
        SplittableHint = "Speicherposten dürfen auf mehrere Rechenzentren verteilt werden.",
        Request = "Anfragen",
        Constraints = "Bedingungen",
        RequestTitle = "Anfrage",
        Decision = "Entscheidung",
        Parts = "Wo sie läuft",
        Trace = "Wie der Broker entschieden hat",
        TraceIntro = "Jedes gefragte Rechenzentrum und seine Antwort.",
        Outcome = "Ergebnis",
        Score = "Bewertung",
        Renew = "Verlängern",
        Release = "Freigeben",
        Renewed = "Verlängert: die Laufzeit beginnt ab jetzt neu.",
        Released = "Freigegeben.",
        StillNegotiating = "Der Broker verhandelt noch; gleich neu laden.",
        Refresh = "Neu laden",
        NoRequests = "Keine Anfragen.",
        AsUnderstood = "Die Anfrage, wie der Broker sie verstanden hat",
        BillIntro = "Menge × Zeit × Preis, je Anfrage und Nutzungsabschnitt. Was noch läuft, ist bis jetzt berechnet und als laufend markiert.",
        StillRunning = "laufend",
        ServedBy = "Erbracht von",
        TotalDue = "Fällig (EUR)",
        StatementIntro = "Was dieser Anbieter anderen berechnet hat und was ihm berechnet wurde, je Gegenpartei.",
        Counterparty = "Gegenpartei",
        Charged = "Berechnet (EUR)",
        ChargedBy = "In Rechnung gestellt bekommen (EUR)",
        Net = "Saldo (EUR)",
        NetDue = "Saldo fällig (EUR)",
        SettlementIntro = "Was Anbieter einander im Monat berechnet haben: der Saldo jedes Anbieters (positiv wird ihm geschuldet, negativ schuldet er), jedes Paar nach der Aufrechnung und die Zahlungen, die die ganze Föderation ausgleichen.",
        SettlementPositions = "Salden",
        SettlementPairs = "Anbieterpaare nach bilateraler Aufrechnung",
        ProviderA = "Anbieter A",
        ProviderB = "Anbieter B",
        AChargedB = "A hat B berechnet (EUR)",
        BChargedA = "B hat A berechnet (EUR)",
        PairNet = "B schuldet A (EUR)",
        SettlementTransfers = "Zahlungen nach multilateraler Verrechnung",
        PaidBy = "Zahlt",
        PaidTo = "Erhält",
        TransferAmount = "Betrag (EUR)",
        TransfersMinimal = "Das sind die wenigsten Zahlungen, die alle Salden ausgleichen.",
        TransfersGreedy = "Diese Zahlungen gleichen alle Salden aus; bei so vielen Anbietern werden sie schrittweise zugeordnet und sind vielleicht nicht die wenigsten.",
        DataCentersIntro = "Die Rechenzentren dieses Anbieters und die Auslastung jedes Pools, wie die Rechenzentren sie jetzt melden.",
        ChangePool = "Pool ändern",
        AddPool = "Pool hinzufügen",
        Change = "Ändern",
        Add = "Hinzufügen",
        PoolChanged = "Der Pool wurde geändert.",
        PoolAdded = "Der Pool wurde hinzugefügt.",
        ChartOf = "Auslastung in {0}",
        Legend = "Legende",
        FederationIntro = "Kapazität je Anbieter, Rechenzentrum und Pool, wie das Kapazitätsverzeichnis sie jetzt kennt.",
        HostedOn = "Läuft auf",
        AuditIntro = "Jede Entscheidung, Verlängerung, Freigabe, jeder Ablauf und jede Änderung, neueste zuerst, in prüfbaren Hash-Ketten.",
        Tenant = "Mandant",
        Action = "Aktion",
        Subject = "Gegenstand",
        Actor = "Handelnde",
        At = "Zeitpunkt",
        Detail = "Einzelheiten",
        Chain = "Kette · Eintrag",
        Filter = "Filtern",
        DateHint = "Ein Datum (2026-11-02) oder Zeitpunkt mit Zeitzone.",
        Verify = "Prüfen",
        Valid = "gültig",
        ValidDetail = "{0} Einträge in {1} Ketten, aus dem Speicher gelesen, hängen lückenlos zusammen.",
        Broken = "gebrochen",
        BrokenDetail = "Kette {0} bricht zuerst bei Eintrag {1}: {2} ({3}).",
    };

    /// <summary>The texts of the request's UI culture (set by the portal's request localization).</summary>
    public static PortalText Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de" ? German : English;

    public string StateWord(Broker.Contracts.RequestState state) => (Lang, state) switch
    {
        ("de", Broker.Contracts.RequestState.Negotiating) => "in Verhandlung",
        ("de", Broker.Contracts.RequestState.Allocated) => "zugeteilt",
        ("de", Broker.Contracts.RequestState.Released) => "freigegeben",
        ("de", Broker.Contracts.RequestState.Expired) => "abgelaufen",
        ("de", Broker.Contracts.RequestState.Rejected) => "abgelehnt",
        _ => Broker.Contracts.ApiEnums.Kebab(state),
    };

    public string TierWord(Broker.Contracts.Tier tier) => (Lang, tier) switch
    {
        ("de", Broker.Contracts.Tier.Home) => "eigener Anbieter",
        ("de", Broker.Contracts.Tier.Federation) => "Verbund",
        _ => Broker.Contracts.ApiEnums.Kebab(tier),
    };

    public string LevelWord(Broker.Contracts.ProtectionLevel level) => (Lang, level) switch
    {
        ("de", Broker.Contracts.ProtectionLevel.Normal) => "normal",
        ("de", Broker.Contracts.ProtectionLevel.High) => "hoch",
        ("de", Broker.Contracts.ProtectionLevel.VeryHigh) => "sehr hoch",
        _ => Broker.Contracts.ApiEnums.Kebab(level),
    };
}
