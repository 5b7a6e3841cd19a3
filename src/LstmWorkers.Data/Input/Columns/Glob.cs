namespace LstmWorkers.Data.Input.Columns;

/// <summary>File-name patterns with <c>*</c> (any run of characters) and <c>?</c> (one character); case-sensitive.</summary>
internal static class Glob
{
    public static bool HasWildcards(string s) => s.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool IsMatch(string pattern, string name)
    {
        // Iterative wildcard match with single-star backtracking: O(pattern × name) worst case.
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
