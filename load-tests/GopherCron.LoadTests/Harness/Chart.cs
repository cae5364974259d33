using System.Globalization;
using System.Security;
using System.Text;

namespace GopherCron.LoadTests.Harness;

/// <summary>
/// A percentile-distribution chart drawn as SVG by hand: x is the percentile on the usual "nines" scale
/// (-log10(1 - p)), y is the lateness in ms on a log scale, one line per system.
/// </summary>
internal static class Chart
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static string Svg(string title, IReadOnlyList<(string Name, IReadOnlyList<(double Percentile, double Ms)> Points)> curves)
    {
        const double width = 820, height = 420, left = 70, right = 250, top = 40, bottom = 50;
        const double maxNines = 5; // 99.999 %
        var all = curves.SelectMany(c => c.Points).Select(p => Math.Max(p.Ms, 0.01)).ToList();
        var yMin = Math.Pow(10, Math.Floor(Math.Log10(all.Count > 0 ? all.Min() : 0.01)));
        var yMax = Math.Pow(10, Math.Ceiling(Math.Log10(all.Count > 0 ? all.Max() : 1)));
        if (yMax <= yMin)
        {
            yMax = yMin * 10;
        }

        double X(double percentile) => left + (width - left - right) * Math.Min(Nines(percentile), maxNines) / maxNines;
        double Y(double ms) => top + (height - top - bottom) * (1 - (Math.Log10(Math.Max(ms, yMin)) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="white"/><text x="{left}" y="22" font-size="15">{Escape(title)}</text>""").AppendLine();
        foreach (var (label, p) in new[] { ("0%", 0.0), ("90%", 90), ("99%", 99), ("99.9%", 99.9), ("99.99%", 99.99), ("99.999%", 99.999) })
        {
            var x = X(p);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{top}" x2="{x:0.#}" y2="{height - bottom}" stroke="#ddd"/><text x="{x:0.#}" y="{height - bottom + 16}" text-anchor="middle">{label}</text>""").AppendLine();
        }

        for (var v = yMin; v <= yMax * 1.0001; v *= 10)
        {
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{y:0.#}" x2="{width - right}" y2="{y:0.#}" stroke="#ddd"/><text x="{left - 6}" y="{y + 4:0.#}" text-anchor="end">{v.ToString("0.###", CultureInfo.InvariantCulture)} ms</text>""").AppendLine();
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">percentile</text>""").AppendLine();
        for (var i = 0; i < curves.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var points = string.Join(' ', curves[i].Points.Where(p => p.Percentile < 100).Select(p => $"{X(p.Percentile).ToString("0.#", CultureInfo.InvariantCulture)},{Y(p.Ms).ToString("0.#", CultureInfo.InvariantCulture)}"));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>""").AppendLine();
            var ly = top + 10 + i * 18;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{width - right + 12}" y1="{ly}" x2="{width - right + 32}" y2="{ly}" stroke="{colour}" stroke-width="3"/><text x="{width - right + 38}" y="{ly + 4}">{Escape(curves[i].Name)}</text>""").AppendLine();
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Nines(double percentile) => percentile >= 100 ? 99 : -Math.Log10(1 - percentile / 100);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
