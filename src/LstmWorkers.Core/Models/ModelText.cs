using System.Globalization;
using System.Text;

namespace LstmWorkers.Core.Models;

/// <summary>How text taken from a model file (tensor names, dtype names) appears in a message.</summary>
internal static class ModelText
{
    private const int MaxShown = 64;

    /// <summary>
    /// <paramref name="text"/> in single quotes on one line: control, format and separator characters escaped as
    /// <c>\n</c> or <c>\uXXXX</c>, and a long text cut after <see cref="MaxShown"/> characters with its full length.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("'");
        foreach (char c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            switch (c)
            {
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                default:
                    if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
                    {
                        quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return text.Length > MaxShown
            ? quoted.Append(CultureInfo.InvariantCulture, $"…' ({text.Length} characters)").ToString()
            : quoted.Append('\'').ToString();
    }
}
