using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GopherCron.LoadTests.Harness;

/// <summary>
/// What a scenario found: tables, targets beside measured values, percentile curves, and one summary line of
/// <c>key=value</c> figures. Written as report.md, report.json and chart.svg into the run's folder.
/// </summary>
internal sealed class Report(string scenario, string command)
{
    private readonly List<(string Title, string[] Header, List<string[]> Rows)> _tables = [];
    private readonly List<(string Name, string Target, string Measured, bool Met)> _targets = [];
    private readonly List<(string Name, IReadOnlyList<(double Percentile, double Ms)> Points)> _curves = [];
    private readonly List<(string Key, string Value)> _summary = [];
    private readonly List<string> _notes = [];
    private readonly string _loadAtStart = ProcessMeter.LoadAverage();

    public string Scenario { get; } = scenario;

    public string ChartTitle { get; set; } = "Lateness by percentile";

    public List<string[]> Table(string title, params string[] header)
    {
        var rows = new List<string[]>();
        _tables.Add((title, header, rows));
        return rows;
    }

    public void Target(string name, string target, string measured, bool met) => _targets.Add((name, target, measured, met));

    public void Curve(string name, Latency latency)
    {
        // A system that started nothing in the window has no curve to draw (its row says why).
        if (latency.Count > 0)
        {
            _curves.Add((name, latency.Curve()));
        }
    }

    public void Summary(string key, object value) => _summary.Add((key, Format(value)));

    public void Note(string note)
    {
        _notes.Add(note);
        Console.Error.WriteLine($"[{Scenario}] {note}");
    }

    public static string Format(object value) => value switch
    {
        double d when double.IsNaN(d) => "nan",
        double d => d.ToString(Math.Abs(d) >= 100 ? "0" : Math.Abs(d) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public string SummaryLine => string.Join(' ', new[] { ("scenario", Scenario) }.Concat(_summary).Select(kv => $"{kv.Item1}={kv.Item2}"));

    public string Write(string resultsRoot)
    {
        var folder = Path.Combine(resultsRoot, $"{Scenario}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(folder);
        var markdown = Markdown();
        File.WriteAllText(Path.Combine(folder, "report.md"), markdown);
        File.WriteAllText(Path.Combine(folder, "report.json"), Json());
        if (_curves.Count > 0)
        {
            File.WriteAllText(Path.Combine(folder, "chart.svg"), Chart.Svg(ChartTitle, _curves));
        }

        Console.WriteLine(markdown);
        Console.WriteLine($"report: {folder}/report.md (json, chart.svg beside it)");
        Console.WriteLine(SummaryLine);
        return folder;
    }

    private string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Scenario).AppendLine().AppendLine();
        md.Append("- command: `").Append(command).AppendLine("`");
        md.Append("- finished: ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).AppendLine(" UTC");
        md.Append("- machine: ").Append(Environment.ProcessorCount).Append(" cores, .NET ").Append(Environment.Version)
            .Append(", load average at start ").Append(_loadAtStart).Append(", at end ").Append(ProcessMeter.LoadAverage()).AppendLine();
        foreach (var note in _notes)
        {
            md.Append("- ").AppendLine(note);
        }

        foreach (var (title, header, rows) in _tables)
        {
            md.AppendLine().Append("## ").AppendLine(title).AppendLine();
            md.Append("| ").Append(string.Join(" | ", header)).AppendLine(" |");
            md.Append('|').Append(string.Concat(header.Select(_ => "---|"))).AppendLine();
            foreach (var row in rows)
            {
                md.Append("| ").Append(string.Join(" | ", row)).AppendLine(" |");
            }
        }

        if (_targets.Count > 0)
        {
            md.AppendLine().AppendLine("## Targets").AppendLine();
            md.AppendLine("| target | goal | measured | met |").AppendLine("|---|---|---|---|");
            foreach (var (name, target, measured, met) in _targets)
            {
                md.Append("| ").Append(name).Append(" | ").Append(target).Append(" | ").Append(measured).Append(" | ")
                    .Append(met ? "yes" : "**no**").AppendLine(" |");
            }
        }

        md.AppendLine().Append("Summary: `").Append(SummaryLine).AppendLine("`");
        return md.ToString();
    }

    private string Json() => JsonSerializer.Serialize(new
    {
        scenario = Scenario,
        command,
        finishedUtc = DateTime.UtcNow,
        cores = Environment.ProcessorCount,
        loadAverageAtStart = _loadAtStart,
        loadAverageAtEnd = ProcessMeter.LoadAverage(),
        notes = _notes,
        tables = _tables.Select(t => new { title = t.Title, header = t.Header, rows = t.Rows }),
        targets = _targets.Select(t => new { name = t.Name, goal = t.Target, measured = t.Measured, met = t.Met }),
        curves = _curves.Select(c => new { name = c.Name, points = c.Points.Select(p => new { percentile = p.Percentile, ms = p.Ms }) }),
        summary = _summary.ToDictionary(kv => kv.Key, kv => kv.Value),
    }, new JsonSerializerOptions { WriteIndented = true });
}
