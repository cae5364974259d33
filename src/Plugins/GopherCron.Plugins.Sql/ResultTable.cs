using System.Data.Common;
using System.Globalization;
using System.Text;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Sql;

/// <summary>Writes one result set as a table with aligned columns, cut at a row limit.</summary>
internal static class ResultTable
{
    private const int MaxCellChars = 200;

    public static async Task WriteAsync(DbDataReader reader, int maxRows, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => Cell(reader.GetName(i))).ToArray();
        var rows = new List<string[]>();
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                // One row past the limit proves there is more; reading the rest could take as long as the query.
                truncated = true;
                break;
            }

            var row = new string[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Cell(await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetValue(i));
            }

            rows.Add(row);
        }

        var widths = columns.Select((name, i) => rows.Select(r => r[i].Length).Append(name.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendRow(text, columns, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        text.Append(CultureInfo.InvariantCulture, $"({rows.Count} {(rows.Count == 1 ? "row" : "rows")}{(truncated ? ", truncated" : string.Empty)})\n");
        await output.WriteAsync(text.ToString().AsMemory(), cancellationToken);
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append("  ");
            }

            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }

        text.Append('\n');
    }

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "NULL",
            byte[] bytes => "0x" + Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, MaxCellChars / 2)),
            DateTime dateTime => dateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
            DateTimeOffset offset => offset.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        // One row per line: a value's own line breaks and tabs would break the table.
        text = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal);
        return text.Length <= MaxCellChars ? text : text[..(MaxCellChars - 3)] + "...";
    }
}
