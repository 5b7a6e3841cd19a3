using System.Globalization;
using System.Text;

namespace LstmWorkers.Data;

/// <summary>
/// Bad input data: a rejected row, a missing or unsupported column, a path that matches no file.
/// The message has the form <c>"&lt;file&gt;: row &lt;row&gt; (id &lt;id&gt;), column '&lt;col&gt;': &lt;what&gt;"</c>,
/// with each part present only when known (contract §4).
/// </summary>
public sealed class InputDataException : Exception
{
    /// <summary>Creates the exception from its parts; <see cref="Exception.Message"/> is composed from them.</summary>
    /// <param name="detail">What is wrong, e.g. <c>token id 70 is outside [0, 50)</c>.</param>
    /// <param name="file">The file, as resolved (full path).</param>
    /// <param name="row">The global row number: rows are numbered from 0 across all files in order.</param>
    /// <param name="id">The row's id as <see cref="Input.IdValues.Format"/> writes it.</param>
    /// <param name="column">The column name.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public InputDataException(string detail, string? file = null, long? row = null, string? id = null, string? column = null,
        Exception? innerException = null)
        : base(Compose(detail, file, row, id, column), innerException)
    {
        Detail = detail;
        File = file;
        Row = row;
        Id = id;
        Column = column;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>The file (full path), when known.</summary>
    public string? File { get; }

    /// <summary>The global row number (from 0 across all files), when known.</summary>
    public long? Row { get; }

    /// <summary>The row's id, formatted for messages, when known.</summary>
    public string? Id { get; }

    /// <summary>The column, when known.</summary>
    public string? Column { get; }

    private static string Compose(string detail, string? file, long? row, string? id, string? column)
    {
        // "<file>: row <row> (id <id>), column '<col>': <what>"
        var location = new List<string>(2);
        if (row is not null)
        {
            location.Add(id is null ? $"row {row.Value.ToString(CultureInfo.InvariantCulture)}"
                : $"row {row.Value.ToString(CultureInfo.InvariantCulture)} (id {id})");
        }
        else if (id is not null)
        {
            location.Add($"id {id}");
        }
        if (column is not null)
        {
            location.Add($"column '{column}'");
        }
        var sb = new StringBuilder();
        if (file is not null)
        {
            sb.Append(file).Append(": ");
        }
        if (location.Count > 0)
        {
            sb.AppendJoin(", ", location).Append(": ");
        }
        return sb.Append(detail).ToString();
    }
}
