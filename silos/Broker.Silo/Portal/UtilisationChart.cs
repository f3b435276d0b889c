using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Broker.Silo.Portal;

/// <summary>One bar: what is allocated and held of a capacity.</summary>
public sealed record ChartBar(string Label, long Allocated, long Held, long Capacity)
{
    public double Used => Capacity <= 0 ? 0 : Math.Min(1, (double)(Allocated + Held) / Capacity);
}

/// <summary>
/// A horizontal bar chart of utilisation as inline SVG, drawn on the server: it needs no script and no download, and
/// its figures are also in the table beside it. Screen readers get the chart's title as its name and each bar's
/// figures as text; the colours of allocated, held and free differ in lightness, not in hue alone.
/// </summary>
public static class UtilisationChart
{
    private const int LabelWidth = 230;
    private const int BarWidth = 380;
    private const int Row = 26;
    private const string AllocatedColour = "#1d4f91";
    private const string HeldColour = "#b35900";
    private const string FreeColour = "#eef2f7";
    private const string InkColour = "#1a1a1a";

    public static IHtmlContent Render(string id, string title, IReadOnlyList<ChartBar> bars, PortalText t)
    {
        var html = HtmlEncoder.Default;
        var height = (bars.Count * Row) + 34;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {LabelWidth + BarWidth + 70} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{html.Encode(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{html.Encode(string.Join("; ", bars.Select(b => Describe(b, t))))}</desc>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = i * Row;
            var allocated = Width(bar.Allocated, bar.Capacity);
            var held = Math.Min(BarWidth - allocated, Width(bar.Held, bar.Capacity));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 17}\" fill=\"{InkColour}\" font-size=\"13\">{html.Encode(Shorten(bar.Label))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{BarWidth}\" height=\"18\" fill=\"{FreeColour}\" stroke=\"#5b6770\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{allocated:0.#}\" height=\"18\" fill=\"{AllocatedColour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + allocated:0.#}\" y=\"{y + 4}\" width=\"{held:0.#}\" height=\"18\" fill=\"{HeldColour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + BarWidth + 8}\" y=\"{y + 17}\" fill=\"{InkColour}\" font-size=\"13\">{html.Encode(PortalFormat.Share(bar.Used))}</text>");
        }

        var legendY = (bars.Count * Row) + 12;
        svg.Append(CultureInfo.InvariantCulture, $"<g aria-hidden=\"true\" font-size=\"12\" fill=\"{InkColour}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"{AllocatedColour}\"/><text x=\"{LabelWidth + 20}\" y=\"{legendY + 12}\">{html.Encode(t.Allocated)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + 120}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"{HeldColour}\"/><text x=\"{LabelWidth + 140}\" y=\"{legendY + 12}\">{html.Encode(t.Held)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + 240}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"{FreeColour}\" stroke=\"#5b6770\"/><text x=\"{LabelWidth + 260}\" y=\"{legendY + 12}\">{html.Encode(t.Free)}</text>");
        svg.Append("</g></svg>");
        return new HtmlString(svg.ToString());
    }

    private static double Width(long part, long capacity) => capacity <= 0 ? 0 : Math.Min(BarWidth, (double)part / capacity * BarWidth);

    private static string Describe(ChartBar bar, PortalText t) =>
        $"{bar.Label}: {PortalFormat.Share(bar.Used)} ({t.Allocated} {PortalFormat.Units(bar.Allocated)}, {t.Held} {PortalFormat.Units(bar.Held)}, {t.Capacity} {PortalFormat.Units(bar.Capacity)})";

    private static string Shorten(string label) => label.Length <= 32 ? label : label[..31] + "…";
}
